import type { Cluster } from 'ioredis';
import Redis from 'ioredis';
import { startApp, TestApp } from '../support/app';
import { RedisCluster } from '../support/redis-cluster';
import { RedisServer, waitFor } from '../support/redis-server';

const KEYS = 600;
const COMMAND_TIMEOUT_MS = 250;

type Listing = { kind: 'complete' } | { kind: 'incomplete'; missing: number } | { kind: 'failed'; how: string };

describe('cluster mode against a real Redis Cluster (3 primaries, 3 replicas)', () => {
  let cluster: RedisCluster;
  let direct: Cluster;
  let t: TestApp;
  const expected: Record<string, string> = {};

  /** The server that is the primary for a slot right now. */
  async function primaryOfSlot(slot: number): Promise<RedisServer> {
    const ranges = await direct.cluster('SLOTS');
    const [, , [, port]] = ranges.find(([from, to]) => slot >= from && slot <= to)!;
    return cluster.servers.find((server) => server.port === port)!;
  }
  const primaryOf = async (key: string) => primaryOfSlot(Number(await direct.cluster('KEYSLOT', key)));

  /**
   * A client of the replica of the primary on port, once it is in sync: a replica that never
   * synced (on a loaded machine the initial sync can lag) can take over neither by a manual
   * failover nor when its primary dies.
   */
  async function syncedReplicaOf(port: number): Promise<Redis> {
    for (const server of cluster.servers) {
      const candidate = new Redis({ host: '127.0.0.1', port: server.port });
      const role = await candidate.role().catch(() => ['down']);
      if (role[0] === 'slave' && Number(role[2]) === port) {
        await waitFor(async () => (await candidate.info('replication')).includes('master_link_status:up'), 'the replica to sync', 20_000);
        return candidate;
      }
      candidate.disconnect();
    }
    throw new Error(`no replica found for the primary on ${port}`);
  }

  /** GET /list, judged: the listing must hold every expected key, or fail visibly. */
  async function list(): Promise<Listing> {
    const res = await t.api().get('/list').buffer(true).catch((error: Error) => ({ status: 0, text: error.message }));
    if (res.status !== 200) return { kind: 'failed', how: `${res.status} ${res.text}` };
    let body: Record<string, string>;
    try {
      body = JSON.parse(res.text);
    } catch {
      return { kind: 'failed', how: 'aborted stream' };
    }
    const missing = Object.keys(expected).filter((key) => body[key] !== expected[key]).length;
    return missing === 0 ? { kind: 'complete' } : { kind: 'incomplete', missing };
  }

  beforeAll(async () => {
    cluster = await RedisCluster.start();
    direct = cluster.client();
    // The last test stops every node: this client's refresh errors are expected, not news.
    direct.on('error', () => undefined);
    // One seed, as with Memorystore's discovery endpoint: the rest of the topology is discovered.
    t = await startApp({
      REDIS_MODE: 'cluster',
      REDIS_HOST: '127.0.0.1',
      REDIS_PORT: String(cluster.servers[0].port),
      LIST_BATCH_SIZE: '50',
      REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS),
    });
    for (let i = 0; i < KEYS; i += 1) expected[`user:${i}`] = `v${i}`;
    await Promise.all(Object.entries(expected).map(([key, value]) => direct.set(key, value)));
    await direct.hset('a-hash', 'f', 'v');
    await direct.del('test_key');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    direct?.disconnect();
    await cluster?.destroy();
  });

  it('spreads the test keys over every primary', async () => {
    const primaries = t.redis.primaries();
    expect(primaries).toHaveLength(3);
    const sizes = await Promise.all(primaries.map((node) => node.dbsize()));
    expect(sizes.every((size) => size > 0)).toBe(true);
  });

  it('reports ready from cluster_state:ok', async () => {
    const res = await t.management().get('/health/ready').expect(200);
    expect(res.body.details.redis).toEqual({ status: 'up', mode: 'cluster' });
  });

  it('serves the API contract', async () => {
    expect((await t.api().get('/').expect(200)).text).toBe('Hello Redis!');
    await t.api().post('/write').send({ key: 'c-key', value: 'c-value' }).expect(200);
    expect(await direct.get('c-key')).toBe('c-value');
    await t.api().delete('/delete?key=c-key').expect(200);
    await t.api().delete('/delete?key=c-key').expect(404);
    await direct.del('test_key');
  });

  it('GET /list scans every primary and skips non-string keys', async () => {
    const res = await t.api().get('/list').expect(200);
    expect(res.body).toEqual(expected);
  });

  it('paginates shard by shard until cursor "0"', async () => {
    const seen: Record<string, string> = {};
    const cursors: string[] = [];
    let cursor = '0';
    do {
      const res = await t.api().get('/list').query({ cursor, count: 100 }).expect(200);
      Object.assign(seen, res.body.data);
      cursor = res.body.cursor;
      cursors.push(cursor);
    } while (cursor !== '0' && cursors.length < 500);
    expect(seen).toEqual(expected);
    // The cursor names the shard by its first slot: all three shards are visited, in order.
    const shards = [...new Set(cursors.filter((c) => c !== '0').map((c) => Number(c.split('-')[0])))];
    expect(shards).toHaveLength(3);
    expect([...shards].sort((a, b) => a - b)).toEqual(shards);
  });

  it.each(['7-0', '16384-00000000-0', '0-00000000-18446744073709551616', '5'])('rejects cursor %p with 400', async (cursor) => {
    const res = await t.api().get('/list').query({ cursor }).expect(400);
    expect(res.body.error).toMatch(/Invalid cursor/);
  });

  it('never answers a /list with keys missing while a primary stalls, only complete or failed', async () => {
    const stalling = await primaryOf('user:1');
    let running = true;
    const staller = (async () => {
      while (running) {
        stalling.pause();
        await new Promise((resolve) => setTimeout(resolve, 300));
        stalling.resume();
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
      }
    })();
    const outcomes: Listing[] = [];
    try {
      for (let i = 0; i < 15; i += 1) outcomes.push(await list());
    } finally {
      running = false;
      await staller;
      stalling.resume();
    }
    expect(outcomes.filter((outcome) => outcome.kind === 'incomplete')).toEqual([]);
    // The stalls did bite: some listings failed rather than coming back short.
    expect(outcomes.some((outcome) => outcome.kind === 'failed')).toBe(true);
    await waitFor(async () => (await list()).kind === 'complete', 'a complete listing after the stalls', 20_000);
  }, 60_000);

  it('keeps writing through a manual failover', async () => {
    const key = 'failover-key';
    const promoted = await syncedReplicaOf((await primaryOf(key)).port);
    try {
      await promoted.cluster('FAILOVER');
      const isPrimary = async () => (await promoted.role())[0] === 'master';
      await waitFor(isPrimary, 'the replica to become primary', 10_000).catch(async () => {
        // The coordinated handover timed out (a busy primary): take over without it.
        await promoted.cluster('FAILOVER', 'FORCE');
        await waitFor(isPrimary, 'the replica to become primary (FORCE)', 20_000);
      });
    } finally {
      promoted.disconnect();
    }

    await waitFor(
      async () => (await t.api().post('/write').send({ key, value: 'after' })).status === 200,
      'writes to succeed after failover',
      20_000,
    );
    expect(await direct.get(key)).toBe('after');
    await direct.del(key);
  }, 90_000);

  it('pages through a primary killed mid-listing: no key that stayed is missed, and no request waits past the timeout', async () => {
    const seen: Record<string, string> = {};
    const slowest: number[] = [];
    let cursor = '0';
    let killed = false;
    let pages = 0;
    const deadline = Date.now() + 60_000;
    do {
      if (!killed && pages === 3) {
        // Kill the primary of the shard the cursor is in, as a crash would.
        const primary = await primaryOfSlot(Number(cursor.split('-')[0]));
        (await syncedReplicaOf(primary.port)).disconnect();
        await primary.stop();
        killed = true;
      }
      const started = performance.now();
      const res = await t.api().get('/list').query({ cursor, count: 50 });
      slowest.push(performance.now() - started);
      if (res.status === 200) {
        Object.assign(seen, res.body.data);
        cursor = res.body.cursor;
        pages += 1;
      } else {
        // A 503 during the failover: the same cursor again, a moment later.
        expect(res.status).toBe(503);
        expect(res.headers['retry-after']).toBe('1');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } while (cursor !== '0' && Date.now() < deadline);
    expect(cursor).toBe('0');
    expect(killed).toBe(true);
    expect(Object.keys(expected).filter((key) => seen[key] !== expected[key])).toEqual([]);
    // Each request's wait on Redis is bounded by the command timeout, failover retries included.
    expect(Math.max(...slowest)).toBeLessThan(COMMAND_TIMEOUT_MS + 250);
    await waitFor(async () => (await t.api().post('/write').send({ key: 'after-kill', value: 'v' })).status === 200, 'writes after the failover', 30_000);
  }, 90_000);

  it('answers 503, not an empty listing, when no node is reachable', async () => {
    await Promise.all(cluster.servers.map((server) => server.stop()));
    await waitFor(async () => (await t.api().get('/')).status === 503, 'requests to fail', 20_000);
    const res = await t.api().get('/list');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: 'Redis is unavailable; retry later' });
    expect((await t.api().get('/list').query({ cursor: '0' })).status).toBe(503);
  }, 60_000);
});
