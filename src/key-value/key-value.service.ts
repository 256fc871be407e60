import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import type { Redis } from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ApiError } from '../http/api-error';
import { RedisClient } from '../redis/redis-client';

export const TEST_KEY = 'test_key';
export const TEST_VALUE = 'Hello Redis!';
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
// SCAN's COUNT is a hint of work per call; 1000 keeps each call well under a millisecond.
const SCAN_COUNT = 1000;

export interface ListPage {
  data: Record<string, string>;
  cursor: string;
}

export function randomToken(length = 8): string {
  let token = '';
  for (let i = 0; i < length; i += 1) token += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return token;
}

/** Position of a paginated listing: which primary, and that primary's SCAN cursor. */
interface Position {
  node: number;
  cursor: string;
}

@Injectable()
export class KeyValueService {
  constructor(
    private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async hello(): Promise<string> {
    await this.redis.run('set', () => this.redis.client.set(TEST_KEY, TEST_VALUE));
    return (await this.redis.run('get', () => this.redis.client.get(TEST_KEY))) ?? '';
  }

  async write(key: string, value: string): Promise<void> {
    await this.redis.run('set', () => this.redis.client.set(key, value));
  }

  /** Returns false when the key did not exist. */
  async delete(key: string): Promise<boolean> {
    return (await this.redis.run('del', () => this.redis.client.del(key))) === 1;
  }

  async page(cursorText: string, count: number): Promise<ListPage> {
    const primaries = this.redis.primaries();
    const position = this.decodeCursor(cursorText, primaries.length);
    const node = primaries[position.node];
    const [next, keys] = await this.redis.run('scan', () => node.scan(position.cursor, 'COUNT', count));
    const data: Record<string, string> = {};
    for (const [key, value] of await this.readValues(node, keys)) data[key] = value;
    return { data, cursor: this.encodeCursor({ node: position.node, cursor: next }, primaries.length) };
  }

  /**
   * Yields the JSON object of every pair, piece by piece, scanning each
   * primary in turn. Memory is bounded by one batch, whatever the key count.
   */
  async *streamAll(): AsyncGenerator<string> {
    let first = true;
    yield '{';
    for (const node of this.redis.primaries()) {
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.run('scan', () => node.scan(cursor, 'COUNT', SCAN_COUNT));
        const batch = this.config.limits.listBatchSize;
        for (let start = 0; start < keys.length; start += batch) {
          let chunk = '';
          for (const [key, value] of await this.readValues(node, keys.slice(start, start + batch))) {
            chunk += `${first ? '' : ','}${JSON.stringify(key)}:${JSON.stringify(value)}`;
            first = false;
          }
          if (chunk) yield chunk;
        }
        cursor = next;
      } while (cursor !== '0');
    }
    yield '}';
  }

  /** Values of string keys only: other types, and keys deleted since the SCAN, are skipped. */
  private async readValues(node: Redis, keys: string[]): Promise<[string, string][]> {
    if (keys.length === 0) return [];
    const pairs: [string, string][] = [];
    if (this.redis.mode === 'standalone') {
      // MGET answers nil for non-string keys instead of failing.
      const values = await this.redis.run('mget', () => node.mget(keys));
      values.forEach((value, i) => value !== null && pairs.push([keys[i], value]));
      return pairs;
    }
    // In a cluster, keys on one node span many slots, so MGET would fail with CROSSSLOT:
    // pipeline single GETs to that node instead; WRONGTYPE and MOVED replies are skipped.
    const results = await this.redis.run('pipeline', () => node.pipeline(keys.map((key) => ['get', key])).exec());
    results?.forEach(([error, value], i) => !error && typeof value === 'string' && pairs.push([keys[i], value]));
    return pairs;
  }

  private decodeCursor(text: string, nodes: number): Position {
    const match = this.redis.mode === 'standalone' ? /^()(\d+)$/.exec(text) : /^(?:(\d+)-)?(\d+)$/.exec(text);
    const node = match?.[1] ? Number(match[1]) : 0;
    if (!match || node >= nodes) {
      throw new ApiError(HttpStatus.BAD_REQUEST, 'Invalid cursor: pass "0" or a cursor returned by /list');
    }
    return { node, cursor: match[2] };
  }

  private encodeCursor(position: Position, nodes: number): string {
    if (this.redis.mode === 'standalone') return position.cursor;
    if (position.cursor !== '0') return `${position.node}-${position.cursor}`;
    // This primary is done: move on to the next one, or report the end.
    return position.node + 1 < nodes ? `${position.node + 1}-0` : '0';
  }
}
