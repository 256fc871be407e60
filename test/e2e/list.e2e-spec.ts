import type Redis from 'ioredis';
import { startApp, TestApp } from '../support/app';
import { RedisTarget, redisForSuite } from '../support/redis-server';

const KEYS = 5000;

async function commandCalls(redis: Redis, command: string): Promise<number> {
  const stats = await redis.info('commandstats');
  return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
}

describe('/list over many keys (real redis-server)', () => {
  let server: RedisTarget;
  let redis: Redis;
  let t: TestApp;
  const expected: Record<string, string> = {};

  beforeAll(async () => {
    server = await redisForSuite();
    redis = server.client();
    // An odd batch size puts batch boundaries everywhere.
    t = await startApp({ ...server.env(), LIST_BATCH_SIZE: '7' });
    const pipeline = redis.pipeline();
    for (let i = 0; i < KEYS; i += 1) {
      expected[`key:${i}`] = `value ${i} "quoted" \u00e9`;
      pipeline.set(`key:${i}`, expected[`key:${i}`]);
    }
    pipeline.hset('a-hash', 'f', 'v').rpush('a-list', 'x').sadd('a-set', 'm');
    await pipeline.exec();
  });
  afterAll(async () => {
    await t.close();
    redis.disconnect();
    await server.destroy();
  });

  it('streams every string pair, skips other types, and never calls KEYS', async () => {
    await redis.config('RESETSTAT');
    const res = await t.api().get('/list').expect(200);
    expect(res.body).toEqual(expected);
    expect(await commandCalls(redis, 'keys')).toBe(0);
    expect(await commandCalls(redis, 'scan')).toBeGreaterThan(1);
  });

  it('paginates with cursor and count until cursor "0"', async () => {
    const seen: Record<string, string> = {};
    let cursor = '0';
    let pages = 0;
    do {
      const res = await t.api().get('/list').query({ cursor, count: 500 }).expect(200);
      expect(Object.keys(res.body).sort()).toEqual(['cursor', 'data']);
      expect(typeof res.body.cursor).toBe('string');
      Object.assign(seen, res.body.data);
      cursor = res.body.cursor;
      pages += 1;
    } while (cursor !== '0' && pages < 1000);
    expect(cursor).toBe('0');
    expect(pages).toBeGreaterThan(2);
    expect(seen).toEqual(expected);
  });

  it('uses a count of 100 when only a cursor is given', async () => {
    const res = await t.api().get('/list').query({ cursor: '0' }).expect(200);
    const size = Object.keys(res.body.data).length;
    expect(size).toBeGreaterThan(0);
    expect(size).toBeLessThan(400);
  });
});
