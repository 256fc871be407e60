import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appPerSuite, startApp, TestApp } from '../support/app';
import { listenApi, rawExchange } from '../support/raw-http';
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

describe('API keys are checked before a body is read (real redis-server)', () => {
  // Room for exactly two bodies at the limit: two callers could take it all.
  const suite = appPerSuite({ API_KEYS: 'the-key', BODY_LIMIT_BYTES: '2097152', MAX_INFLIGHT_BODY_BYTES: '4194304', REQUEST_TIMEOUT_MS: '5000' });
  const stalled = (authorization: string) =>
    'POST /write HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2097152\r\n' +
    `${authorization}\r\n{"key":"a",`;

  it('a caller without a key gets 401 at once, its body unread, and the connection closes', async () => {
    const port = await listenApi(suite.t);
    const res = await rawExchange(port, stalled(''), { deadlineMs: 4000 });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toEqual({ error: 'Missing or invalid API key: send "Authorization: Bearer <key>"' });
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.headers['x-request-id']).toBeDefined();
    expect(res.closed).toBe(true);
    // Answered without waiting for the body (REQUEST_TIMEOUT_MS would answer 408 at 5 s).
    expect(res.elapsedMs).toBeLessThan(2000);
  });

  it('callers without a key cannot take the in-flight body budget from one with a key', async () => {
    const port = await listenApi(suite.t);
    // Each of these would reserve 2 MiB if its body were accepted for reading; they stall.
    const anonymous = await Promise.all([1, 2, 3].map(() => rawExchange(port, stalled('Authorization: Bearer wrong\r\n'), { deadlineMs: 4000 })));
    expect(anonymous.map((r) => r.status)).toEqual([401, 401, 401]);
    await suite.t.api().post('/write').set('Authorization', 'Bearer the-key').send({ key: 'after-anonymous', value: 'v' }).expect(200);
    expect(await suite.redis.get('after-anonymous')).toBe('v');
  });
});
