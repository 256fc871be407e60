import { appPerSuite, TestApp } from '../support/app';

type Call = (t: TestApp) => ReturnType<ReturnType<TestApp['api']>['get']>;

const json = (t: TestApp, body: string) => t.api().post('/write').set('Content-Type', 'application/json').send(body);

// Small limits keep the oversized cases cheap; the defaults are 1 KiB, 1 MiB and 2 MiB.
const LIMITS = { MAX_KEY_BYTES: '64', MAX_VALUE_BYTES: '1024', BODY_LIMIT_BYTES: '4096' };

const CASES: [string, number, Call, RegExp][] = [
  ['malformed JSON', 400, (t) => json(t, '{"key": "a",'), /Malformed JSON/],
  ['a JSON array', 400, (t) => json(t, '["a", "b"]'), /must be a JSON object/],
  ['a JSON string', 400, (t) => json(t, '"key=a"'), /must be a JSON object/],
  ['a JSON number', 400, (t) => json(t, '42'), /must be a JSON object/],
  ['an empty object', 400, (t) => json(t, '{}'), /^Both "key" and "value" are required$/],
  ['a missing value', 400, (t) => json(t, '{"key":"a"}'), /^Both "key" and "value" are required$/],
  ['a missing key', 400, (t) => json(t, '{"value":"a"}'), /^Both "key" and "value" are required$/],
  ['an empty key', 400, (t) => json(t, '{"key":"","value":"a"}'), /^Both "key" and "value" are required$/],
  ['an empty value', 400, (t) => json(t, '{"key":"a","value":""}'), /^Both "key" and "value" are required$/],
  ['a null value', 400, (t) => json(t, '{"key":"a","value":null}'), /^Both "key" and "value" are required$/],
  ['a numeric key', 400, (t) => json(t, '{"key":1,"value":"a"}'), /"key" must be a string/],
  ['an object value', 400, (t) => json(t, '{"key":"a","value":{"x":1}}'), /"value" must be a string/],
  ['a boolean value', 400, (t) => json(t, '{"key":"a","value":true}'), /"value" must be a string/],
  ['a prototype-poisoning body', 400, (t) => json(t, '{"__proto__":{"x":1},"key":"a","value":"b"}'), /Malformed JSON/],
  ['a key over the limit', 413, (t) => json(t, JSON.stringify({ key: 'k'.repeat(65), value: 'v' })), /Key exceeds the limit of 64 bytes/],
  ['a key over the limit in UTF-8 bytes', 413, (t) => json(t, JSON.stringify({ key: 'é'.repeat(33), value: 'v' })), /Key exceeds/],
  ['a value over the limit', 413, (t) => json(t, JSON.stringify({ key: 'k', value: 'v'.repeat(1025) })), /Value exceeds the limit of 1024 bytes/],
  ['a body over the limit', 413, (t) => json(t, JSON.stringify({ key: 'k', value: 'v'.repeat(5000) })), /Request body exceeds the limit of 4096 bytes/],
  ['text/plain', 415, (t) => t.api().post('/write').set('Content-Type', 'text/plain').send('key=a'), /Unsupported media type "text\/plain"/],
  ['a form body', 415, (t) => t.api().post('/write').type('form').send({ key: 'a', value: 'b' }), /Unsupported media type/],
  ['an unknown route', 404, (t) => t.api().get('/nope'), /No route for GET \/nope/],
  ['GET on /write', 404, (t) => t.api().get('/write'), /No route for GET \/write/],
  ['PUT on /write', 404, (t) => t.api().put('/write').send({ key: 'a', value: 'b' }), /No route for PUT \/write/],
  ['POST on /delete', 404, (t) => t.api().post('/delete?key=a'), /No route for POST \/delete/],
  ['DELETE on /list', 404, (t) => t.api().delete('/list'), /No route/],
  ['a repeated key parameter', 400, (t) => t.api().delete('/delete?key=a&key=b'), /must be given once/],
  ['a count of 0', 400, (t) => t.api().get('/list?count=0'), /"count" must be an integer from 1 to 1000/],
  ['a count over the maximum', 400, (t) => t.api().get('/list?count=1001'), /"count" must be an integer/],
  ['a non-numeric count', 400, (t) => t.api().get('/list?count=ten'), /"count" must be an integer/],
  ['a malformed cursor', 400, (t) => t.api().get('/list?cursor=abc'), /Invalid cursor/],
  ['a cluster cursor on a standalone server', 400, (t) => t.api().get('/list?cursor=1-5'), /Invalid cursor/],
  ['the metrics path on the public port', 404, (t) => t.api().get('/metrics'), /No route/],
  ['the health path on the public port', 404, (t) => t.api().get('/health/ready'), /No route/],
];

describe('bad input: a clear 4xx JSON error and nothing written (real redis-server)', () => {
  const suite = appPerSuite(LIMITS);

  it.each(CASES)('%s gives %i', async (_, status, call, message) => {
    await suite.redis.flushall();
    await suite.redis.set('sentinel', 'unchanged');
    const res = await call(suite.t);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(Object.keys(res.body)).toEqual(['error']);
    expect(res.body.error).toMatch(message);
    expect(res.text).not.toMatch(/at .*\.(js|ts):\d+/);
    expect(await suite.redis.keys('*')).toEqual(['sentinel']);
    expect(await suite.redis.get('sentinel')).toBe('unchanged');
  });

  it('accepts a key and a value exactly at their limits', async () => {
    await json(suite.t, JSON.stringify({ key: 'k'.repeat(64), value: 'v'.repeat(1024) })).expect(200);
    expect(await suite.redis.strlen('k'.repeat(64))).toBe(1024);
  });
});
