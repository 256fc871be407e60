import type { Test } from 'supertest';
import { appPerSuite } from '../support/app';

describe('API contract (real redis-server)', () => {
  const suite = appPerSuite();
  beforeEach(() => suite.redis.flushall());

  it('GET / writes test_key and returns it as text/plain', async () => {
    const res = await suite.t.api().get('/').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toBe('Hello Redis!');
    expect(await suite.redis.get('test_key')).toBe('Hello Redis!');
  });

  it('POST /write stores the pair and echoes it', async () => {
    const res = await suite.t.api().post('/write').send({ key: 'city', value: 'Zürich' }).expect(200);
    expect(res.body).toEqual({ message: 'Key-Value pair added', key: 'city', value: 'Zürich' });
    expect(await suite.redis.get('city')).toBe('Zürich');
  });

  it('POST /write overwrites an existing key', async () => {
    await suite.redis.set('k', 'old');
    await suite.t.api().post('/write').send({ key: 'k', value: 'new' }).expect(200);
    expect(await suite.redis.get('k')).toBe('new');
  });

  it.each([
    ['no body and no content type', (r: Test) => r],
    ['an empty JSON body', (r: Test) => r.set('Content-Type', 'application/json')],
    ['a JSON body of whitespace only', (r: Test) => r.set('Content-Type', 'application/json').send(' \r\n\t ')],
    ['an empty body of another type', (r: Test) => r.set('Content-Type', 'text/plain')],
    ['JSON null', (r: Test) => r.set('Content-Type', 'application/json').send('null')],
  ])('POST /write with %s writes a random 8-character pair', async (_, shape) => {
    const res = await shape(suite.t.api().post('/write')).expect(200);
    expect(res.body.message).toBe('Key-Value pair added');
    expect(res.body.key).toMatch(/^[A-Za-z0-9]{8}$/);
    expect(res.body.value).toMatch(/^[A-Za-z0-9]{8}$/);
    expect(await suite.redis.get(res.body.key)).toBe(res.body.value);
    expect(await suite.redis.dbsize()).toBe(1);
  });

  it('DELETE /delete removes the key', async () => {
    await suite.redis.set('gone', 'soon');
    const res = await suite.t.api().delete('/delete').query({ key: 'gone' }).expect(200);
    expect(res.body).toEqual({ message: 'Key gone deleted' });
    expect(await suite.redis.exists('gone')).toBe(0);
  });

  it('DELETE /delete of an unknown key is a 404', async () => {
    const res = await suite.t.api().delete('/delete').query({ key: 'nope' }).expect(404);
    expect(res.body).toEqual({ error: 'Key nope not found' });
  });

  it.each([['no key parameter', ''], ['an empty key', '?key=']])('DELETE /delete with %s is a 400', async (_, query) => {
    const res = await suite.t.api().delete(`/delete${query}`).expect(400);
    expect(res.body).toEqual({ error: 'Key parameter is required' });
  });

  it('GET /list returns every pair as one object', async () => {
    await suite.redis.mset('a', '1', 'b', '2', 'quote"d', 'line\nbreak');
    const res = await suite.t.api().get('/list').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ a: '1', b: '2', 'quote"d': 'line\nbreak' });
  });

  it('GET /list of an empty database is {}', async () => {
    const res = await suite.t.api().get('/list').expect(200);
    expect(res.body).toEqual({});
  });

  it('returns the caller X-Request-Id, or a new one', async () => {
    const given = await suite.t.api().get('/').set('X-Request-Id', 'trace-42').expect(200);
    expect(given.headers['x-request-id']).toBe('trace-42');
    const minted = await suite.t.api().get('/').expect(200);
    expect(minted.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const unsafe = await suite.t.api().get('/').set('X-Request-Id', 'bad id\twith spaces').expect(200);
    expect(unsafe.headers['x-request-id']).not.toContain(' ');
  });

  it('serves an OpenAPI document naming every route', async () => {
    const res = await suite.t.api().get('/openapi.json').expect(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/', '/write', '/delete', '/list']));
  });
});
