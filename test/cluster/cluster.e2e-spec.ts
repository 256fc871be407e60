import type { Cluster } from 'ioredis';
import Redis from 'ioredis';
import { startApp, TestApp } from '../support/app';
import { RedisCluster } from '../support/redis-cluster';
import { waitFor } from '../support/redis-server';

const KEYS = 600;

describe('cluster mode against a real Redis Cluster (3 primaries, 3 replicas)', () => {
  let cluster: RedisCluster;
  let direct: Cluster;
  let t: TestApp;
  const expected: Record<string, string> = {};

  beforeAll(async () => {
    cluster = await RedisCluster.start();
    direct = cluster.client();
    // One seed, as with Memorystore's discovery endpoint: the rest of the topology is discovered.
    t = await startApp({ REDIS_MODE: 'cluster', REDIS_HOST: '127.0.0.1', REDIS_PORT: String(cluster.servers[0].port), LIST_BATCH_SIZE: '50' });
    for (let i = 0; i < KEYS; i += 1) expected[`user:${i}`] = `v${i}`;
    await Promise.all(Object.entries(expected).map(([key, value]) => direct.set(key, value)));
    await direct.hset('a-hash', 'f', 'v');
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
  });

  it('GET /list scans every primary and skips non-string keys', async () => {
    await direct.del('test_key');
    const res = await t.api().get('/list').expect(200);
    expect(res.body).toEqual(expected);
  });

  it('paginates across primaries until cursor "0"', async () => {
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
    // The cursor names the primary: every one of the three is visited.
    expect(new Set(cursors.filter((c) => c !== '0').map((c) => c.split('-')[0]))).toEqual(new Set(['0', '1', '2']));
  });

  it('rejects a cursor naming a primary that does not exist', async () => {
    const res = await t.api().get('/list?cursor=7-0').expect(400);
    expect(res.body.error).toMatch(/Invalid cursor/);
  });

  it('keeps writing through a manual failover', async () => {
    const key = 'failover-key';
    // Promote the replica of the primary that owns the key.
    const slot = Number(await direct.cluster('KEYSLOT', key));
    const slots = await direct.cluster('SLOTS');
    const [, , [, primaryPort]] = slots.find(([from, to]) => slot >= from && slot <= to)!;
    let replica: Redis | undefined;
    for (const server of cluster.servers) {
      const candidate = new Redis({ host: '127.0.0.1', port: server.port });
      const role = await candidate.role();
      if (role[0] === 'slave' && Number(role[2]) === primaryPort) replica = candidate;
      else candidate.disconnect();
    }
    if (!replica) throw new Error(`no replica found for the primary on ${primaryPort}`);
    const promoted = replica;
    try {
      // A manual failover needs a replica in sync; on a loaded machine the initial sync can lag.
      await waitFor(async () => (await promoted.info('replication')).includes('master_link_status:up'), 'the replica to sync', 20_000);
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
  }, 90_000);
});
