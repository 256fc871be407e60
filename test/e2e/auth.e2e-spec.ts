import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, TestApp } from '../support/app';
import { RedisTarget, redisForSuite } from '../support/redis-server';

describe.each([
  ['API_KEYS', () => ({ API_KEYS: 'first-key, second-key' })],
  ['API_KEYS_FILE', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kv-keys-')), 'keys');
    writeFileSync(file, 'first-key\nsecond-key\n');
    return { API_KEYS_FILE: file };
  }],
])('API keys from %s (real redis-server)', (_, keys) => {
  let server: RedisTarget;
  let t: TestApp;

  beforeAll(async () => {
    server = await redisForSuite();
    t = await startApp({ ...server.env(), ...keys() });
  });
  afterAll(async () => {
    await t.close();
    await server.destroy();
  });

  it.each([
    ['POST /write', (a: TestApp['api']) => a().post('/write').send({ key: 'a', value: 'b' })],
    ['DELETE /delete', (a: TestApp['api']) => a().delete('/delete?key=a')],
    ['GET /list', (a: TestApp['api']) => a().get('/list')],
  ])('%s needs a valid bearer key', async (__, call) => {
    const none = await call(t.api);
    expect(none.status).toBe(401);
    expect(none.body.error).toMatch(/Missing or invalid API key/);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect((await call(t.api).set('Authorization', 'Bearer wrong-key')).status).toBe(401);
    expect((await call(t.api).set('Authorization', 'Basic first-key')).status).toBe(401);
    expect((await call(t.api).set('Authorization', 'Bearer second-key')).status).not.toBe(401);
  });

  it.each([
    ['two tokens', 'Bearer first-key second-key'],
    ['a valid key followed by a wrong one', 'Bearer second-key wrong-key'],
    ['two spaces after the scheme', 'Bearer  first-key'],
    ['a tab after the scheme', 'Bearer\tfirst-key'],
    ['a tab inside the token', 'Bearer first-key\tsecond-key'],
    ['no space after the scheme', 'Bearerfirst-key'],
    ['the scheme alone', 'Bearer'],
    ['a key alone', 'first-key'],
    ['a comma-joined pair of keys', 'Bearer first-key,second-key'],
  ])('rejects a header with %s (%j)', async (__, header) => {
    const redis = server.client();
    try {
      await redis.del('shape');
      const res = await t.api().post('/write').set('Authorization', header).send({ key: 'shape', value: 'x' });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'Missing or invalid API key: send "Authorization: Bearer <key>"' });
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(await redis.exists('shape')).toBe(0);
    } finally {
      redis.disconnect();
    }
  });

  it.each(['bearer first-key', 'BEARER second-key', 'BeArEr first-key'])('accepts %j', async (header) => {
    await t.api().delete('/delete?key=absent').set('Authorization', header).expect(404);
  });

  it('writes nothing without a key', async () => {
    const redis = server.client();
    await t.api().post('/write').send({ key: 'locked', value: 'out' }).expect(401);
    expect(await redis.exists('locked')).toBe(0);
    redis.disconnect();
  });

  it('leaves GET /, health and metrics open', async () => {
    await t.api().get('/').expect(200);
    await t.management().get('/health/ready').expect(200);
    await t.management().get('/metrics').expect(200);
  });
});
