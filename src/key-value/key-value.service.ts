import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { createHash, randomInt } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ApiError } from '../http/api-error';
import { Deadline, RedisClient, nodeName } from '../redis/redis-client';
import { RedisCommandError, classifyRedisError } from '../redis/redis-errors';

export const TEST_KEY = 'test_key';
export const TEST_VALUE = 'Hello Redis!';
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
// SCAN's COUNT is a hint of work per call; 1000 keeps each call well under a millisecond.
const SCAN_COUNT = 1000;
const MAX_SCAN_CURSOR = 2n ** 64n - 1n;
const SLOTS = 16384;
const INVALID_CURSOR = 'Invalid cursor: pass "0" or a cursor returned by /list';

export function randomToken(length = 8): string {
  let token = '';
  for (let i = 0; i < length; i += 1) token += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return token;
}

/**
 * A shard of the keyspace: the standalone server, or a cluster primary. A cluster shard is
 * named by the lowest slot it serves, which a failover does not change, and tagged with its
 * primary's address, which a failover does: a SCAN cursor only means something on the node
 * that issued it.
 */
interface Shard {
  node: Redis;
  firstSlot: number;
  tag: string;
}

/** Where a paged listing stands: a shard, the primary that issued the cursor, its SCAN cursor. */
export interface Position {
  slot: number;
  tag: string;
  cursor: string;
}

/**
 * Standalone batch read, bounded by bytes in one round trip: the values of KEYS in order (nil
 * for a missing key or one of another type) for as many keys as fit in ARGV[1] bytes, always at
 * least one; the first element is how many keys it covered.
 */
const READ_SCRIPT = `
local budget = tonumber(ARGV[1])
local out = {0}
local used = 0
for i, key in ipairs(KEYS) do
  local value = redis.pcall('GET', key)
  if type(value) == 'table' then value = false end
  local size = #key + (value and #value or 0)
  if i > 1 and used + size > budget then break end
  out[1] = i
  out[i + 1] = value
  used = used + size
end
return out`;
interface ReadCommand {
  kvRead(count: number, ...keysThenBudget: (string | number)[]): Promise<[number, ...(string | null)[]]>;
}

@Injectable()
export class KeyValueService {
  private listings = 0;

  constructor(
    private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    // Sent as EVALSHA, loaded again by ioredis on NOSCRIPT (after a restart or a failover).
    if (redis.mode === 'standalone') (redis.client as Redis).defineCommand('kvRead', { lua: READ_SCRIPT, readOnly: true });
  }

  async hello(): Promise<string> {
    // Both at once, in one round trip: one connection keeps their order, and one timeout bounds both.
    const [, value] = await Promise.all([
      this.redis.run('set', () => this.redis.client.set(TEST_KEY, TEST_VALUE)),
      this.redis.run('get', () => this.redis.client.get(TEST_KEY)),
    ]);
    return value ?? '';
  }

  async write(key: string, value: string): Promise<void> {
    await this.redis.run('set', () => this.redis.client.set(key, value), { bytes: key.length + value.length });
  }

  /** Returns false when the key did not exist. */
  async delete(key: string): Promise<boolean> {
    return (await this.redis.run('del', () => this.redis.client.del(key), { bytes: key.length })) === 1;
  }

  /** Checks a page cursor before any Redis work: a malformed one is the caller's error. */
  parseCursor(text: string): Position {
    const match = this.redis.mode === 'standalone' ? /^()()(\d{1,20})$/.exec(text) : /^(?:(\d{1,5})-([0-9a-f]{8})-)?(\d{1,20})$/.exec(text);
    const slot = Number(match?.[1] || 0);
    if (!match || slot >= SLOTS || BigInt(match[3]) > MAX_SCAN_CURSOR || (this.redis.mode === 'cluster' && !match[1] && match[3] !== '0')) {
      throw new ApiError(HttpStatus.BAD_REQUEST, INVALID_CURSOR);
    }
    return { slot, tag: match[2], cursor: match[3] };
  }

  /**
   * The JSON text of every pair, piece by piece. Complete or loud: a key that exists for the
   * whole listing is in it, or the listing fails (a 503 before the first piece, an aborted
   * stream after). Only keys of other types, and keys deleted meanwhile, are left out.
   */
  streamAll(): AsyncGenerator<string> {
    return this.listing('{', true, async function* (this: KeyValueService) {
      for (const shard of this.shards()) {
        let cursor = '0';
        do {
          const [next, keys] = await this.scan(shard.node, cursor, SCAN_COUNT);
          yield* this.values(shard.node, keys);
          cursor = next;
        } while (cursor !== '0');
      }
      return '}';
    });
  }

  /** One page, as the JSON text of {"data": {...}, "cursor": NEXT}; COUNT is SCAN's hint. */
  page(position: Position, count: number): AsyncGenerator<string> {
    return this.listing('{"data":{', false, async function* (this: KeyValueService) {
      const shards = this.shards();
      // No tag: the first page. Otherwise the shard is found by its slot, wherever it lives now.
      const shard = position.tag ? this.owner(shards, position.slot) : shards[0];
      // Another primary serves the shard since the cursor was issued: start the shard again
      // (a key may come twice, none is missed).
      const cursor = shard.tag === (position.tag ?? shard.tag) ? position.cursor : '0';
      // A page is one request: one deadline for all its commands.
      const deadline = this.redis.deadline();
      const [next, keys] = await this.scan(shard.node, cursor, count, deadline);
      yield* this.values(shard.node, keys, deadline);
      return `},"cursor":${JSON.stringify(this.nextCursor(shards, shard, next))}}`;
    });
  }

  /**
   * Runs one listing, joining its pairs into JSON text. Full listings, long-lived exports, run
   * under the concurrency cap; a page is one SCAN call's keys, short-lived like any request.
   * Either holds one batch at a time.
   */
  private async *listing(
    open: string,
    capped: boolean,
    body: (this: KeyValueService) => AsyncGenerator<[string, string][], string>,
  ): AsyncGenerator<string> {
    if (capped && this.listings >= this.config.limits.listMaxConcurrent) {
      throw new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'Too many listings in progress; retry later');
    }
    if (capped) this.listings += 1;
    try {
      const pieces = body.call(this);
      let text = open;
      let first = true;
      for (;;) {
        const item = await pieces.next();
        if (item.done) {
          yield text + item.value;
          return;
        }
        for (const [key, value] of item.value) {
          // Text, not an object: any key, __proto__ included, comes out as it went in.
          text += `${first ? '' : ','}${JSON.stringify(key)}:${JSON.stringify(value)}`;
          first = false;
        }
        if (text) {
          yield text;
          text = '';
        }
      }
    } finally {
      if (capped) this.listings -= 1;
    }
  }

  private scan(node: Redis, cursor: string, count: number, deadline?: Deadline): Promise<[string, string[]]> {
    return this.redis.run('scan', () => node.scan(cursor, 'COUNT', count), { deadline });
  }

  /**
   * The string values of the keys, in batches bounded by key count and by bytes, so that a
   * batch of large values cannot hold more than LIST_BATCH_BYTES at once (a larger value is a
   * batch of its own). Standalone: one script call per batch, where STRLENs then MGET would
   * cost a round trip more. A cluster node's keys span slots, which a script cannot take:
   * STRLENs first, then GETs, each pipelined to the node.
   */
  private async *values(node: Redis, keys: string[], deadline?: Deadline): AsyncGenerator<[string, string][]> {
    const { listBatchSize, listBatchBytes } = this.config.limits;
    if (this.redis.mode === 'standalone') {
      for (let offset = 0; offset < keys.length; ) {
        const batch = keys.slice(offset, offset + listBatchSize);
        const read = () => (node as Redis & ReadCommand).kvRead(batch.length, ...batch, listBatchBytes);
        const [covered, ...values] = await this.redis.run('mget', read, { deadline });
        yield pairsOf(batch, values);
        // The script covers at least one key; never loop on a reply that says otherwise.
        offset += Math.max(1, covered);
      }
      return;
    }
    if (keys.length === 0) return;
    const lengths = await this.pipeline<number>(node, 'strlen', keys, deadline);
    let batch: string[] = [];
    let bytes = 0;
    const read = async () => pairsOf(batch, await this.pipeline<string | null>(node, 'get', batch, deadline));
    for (let i = 0; i < keys.length; i += 1) {
      const length = lengths[i];
      if (length === undefined || length === null) continue;
      const size = keys[i].length + length;
      if (batch.length > 0 && (batch.length >= listBatchSize || bytes + size > listBatchBytes)) {
        yield await read();
        batch = [];
        bytes = 0;
      }
      batch.push(keys[i]);
      bytes += size;
    }
    if (batch.length > 0) yield await read();
  }

  /**
   * One command per key, pipelined to one node. A key of another type (WRONGTYPE) reads as
   * undefined; any other error fails the whole call, so that no key goes missing silently.
   */
  private async pipeline<T extends number | string | null>(
    node: Redis,
    command: 'strlen' | 'get',
    keys: string[],
    deadline?: Deadline,
  ): Promise<(T | undefined)[]> {
    const pipelined = async () => (await node.pipeline(keys.map((key) => [command, key])).exec()) ?? [];
    const results = await this.redis.run(command, pipelined, { deadline });
    return results.map(([error, value]) => {
      if (!error) return value as T;
      if (error.message.startsWith('WRONGTYPE')) return undefined;
      throw new RedisCommandError(command, classifyRedisError(error), error);
    });
  }

  /** The shards in a stable order: by the lowest slot each primary serves. */
  private shards(): Shard[] {
    if (this.redis.mode === 'standalone') return [{ node: this.redis.client as Redis, firstSlot: 0, tag: '' }];
    const cluster = this.redis.client as Cluster;
    const first = new Map<string, number>();
    if (this.redis.isReady()) {
      for (let slot = 0; slot < SLOTS; slot += 1) {
        const primary = cluster.slots[slot]?.[0];
        if (primary !== undefined && !first.has(primary)) first.set(primary, slot);
      }
    }
    const reachable = new Map(this.redis.primaries().map((node) => [nodeName(node), node]));
    const shards: Shard[] = [];
    for (const [address, firstSlot] of first) {
      const node = reachable.get(address);
      // A slot range without a reachable primary would leave its keys out of the listing.
      if (!node) throw new RedisCommandError('scan', 'clusterdown', new Error(`no reachable primary serves slot ${firstSlot}`));
      shards.push({ node, firstSlot, tag: tagOf(address) });
    }
    if (shards.length === 0) {
      throw new RedisCommandError('scan', 'clusterdown', new Error('no reachable primary serves any slot'));
    }
    return shards.sort((a, b) => a.firstSlot - b.firstSlot);
  }

  private owner(shards: Shard[], slot: number): Shard {
    const primary = (this.redis.client as Cluster).slots[slot]?.[0];
    const shard = shards.find((candidate) => nodeName(candidate.node) === primary);
    if (!shard) throw new RedisCommandError('scan', 'clusterdown', new Error(`no reachable primary serves slot ${slot}`));
    return shard;
  }

  private nextCursor(shards: Shard[], shard: Shard, next: string): string {
    if (this.redis.mode === 'standalone') return next;
    if (next !== '0') return `${shard.firstSlot}-${shard.tag}-${next}`;
    // This shard is done: move on to the next one, or report the end.
    const following = shards.find((candidate) => candidate.firstSlot > shard.firstSlot);
    return following ? `${following.firstSlot}-${following.tag}-0` : '0';
  }
}

/** The pairs of the keys whose value is a string; the values are in the keys' order. */
function pairsOf(keys: string[], values: (string | null | undefined)[]): [string, string][] {
  const pairs: [string, string][] = [];
  values.forEach((value, i) => typeof value === 'string' && pairs.push([keys[i], value]));
  return pairs;
}

function tagOf(address: string): string {
  return createHash('sha256').update(address).digest('hex').slice(0, 8);
}

