import type Redis from 'ioredis';
import type { Test } from 'supertest';
import { startApp, TestApp } from '../support/app';
import { RedisTarget, redisForSuite } from '../support/redis-server';

describe('API contract (real redis-server)', () => {
  let server: RedisTarget;
  let redis: Redis;
  let t: TestApp;

  beforeAll(async () => {
    server = await redisForSuite();
    redis = server.client();
    t = await startApp({ ...server.env() });
  });
  beforeEach(() => redis.flushall());
  afterAll(async () => {
    await t.close();
    redis.disconnect();
    await server.destroy();
  });

  it('GET / writes test_key and returns it as text/plain', async () => {
    const res = await t.api().get('/').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toBe('Hello Redis!');
    expect(await redis.get('test_key')).toBe('Hello Redis!');
  });

  it('POST /write stores the pair and echoes it', async () => {
    const res = await t.api().post('/write').send({ key: 'city', value: 'Zürich' }).expect(200);
    expect(res.body).toEqual({ message: 'Key-Value pair added', key: 'city', value: 'Zürich' });
    expect(await redis.get('city')).toBe('Zürich');
  });

  it('POST /write overwrites an existing key', async () => {
    await redis.set('k', 'old');
    await t.api().post('/write').send({ key: 'k', value: 'new' }).expect(200);
    expect(await redis.get('k')).toBe('new');
  });

  it.each([
    ['no body and no content type', (r: Test) => r],
    ['an empty JSON body', (r: Test) => r.set('Content-Type', 'application/json')],
    ['an empty body of another type', (r: Test) => r.set('Content-Type', 'text/plain')],
    ['JSON null', (r: Test) => r.set('Content-Type', 'application/json').send('null')],
  ])('POST /write with %s writes a random 8-character pair', async (_, shape) => {
    const res = await shape(t.api().post('/write')).expect(200);
    expect(res.body.message).toBe('Key-Value pair added');
    expect(res.body.key).toMatch(/^[A-Za-z0-9]{8}$/);
    expect(res.body.value).toMatch(/^[A-Za-z0-9]{8}$/);
    expect(await redis.get(res.body.key)).toBe(res.body.value);
    expect(await redis.dbsize()).toBe(1);
  });

  it('DELETE /delete removes the key', async () => {
    await redis.set('gone', 'soon');
    const res = await t.api().delete('/delete').query({ key: 'gone' }).expect(200);
    expect(res.body).toEqual({ message: 'Key gone deleted' });
    expect(await redis.exists('gone')).toBe(0);
  });

  it('DELETE /delete of an unknown key is a 404', async () => {
    const res = await t.api().delete('/delete').query({ key: 'nope' }).expect(404);
    expect(res.body).toEqual({ error: 'Key nope not found' });
  });

  it.each([['no key parameter', ''], ['an empty key', '?key=']])('DELETE /delete with %s is a 400', async (_, query) => {
    const res = await t.api().delete(`/delete${query}`).expect(400);
    expect(res.body).toEqual({ error: 'Key parameter is required' });
  });

  it('GET /list returns every pair as one object', async () => {
    await redis.mset('a', '1', 'b', '2', 'quote"d', 'line\nbreak');
    const res = await t.api().get('/list').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ a: '1', b: '2', 'quote"d': 'line\nbreak' });
  });

  it('GET /list of an empty database is {}', async () => {
    const res = await t.api().get('/list').expect(200);
    expect(res.body).toEqual({});
  });

  it('returns the caller X-Request-Id, or a new one', async () => {
    const given = await t.api().get('/').set('X-Request-Id', 'trace-42').expect(200);
    expect(given.headers['x-request-id']).toBe('trace-42');
    const minted = await t.api().get('/').expect(200);
    expect(minted.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const unsafe = await t.api().get('/').set('X-Request-Id', 'bad id\twith spaces').expect(200);
    expect(unsafe.headers['x-request-id']).not.toContain(' ');
  });

  it('serves an OpenAPI document naming every route', async () => {
    const res = await t.api().get('/openapi.json').expect(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/', '/write', '/delete', '/list']));
  });
});
