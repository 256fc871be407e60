import { appPerSuite, startApp, TestApp } from '../support/app';
import { listenApi, rawExchange, RawResponse } from '../support/raw-http';

type Call = (t: TestApp) => ReturnType<ReturnType<TestApp['api']>['get']>;

const json = (t: TestApp, body: string) => t.api().post('/write').set('Content-Type', 'application/json').send(body);
// The bytes as they are: superagent would serialise a Buffer as JSON.
const bytes = (t: TestApp, body: Buffer) =>
  t.api().post('/write').set('Content-Type', 'application/json').serialize((raw: Buffer) => raw as unknown as string).send(body as never);
const encoded = (t: TestApp, encoding: string) =>
  t.api().post('/write').set('Content-Type', 'application/json').set('Content-Encoding', encoding).send('{"key":"a","value":"b"}');
// {"key":"a","value":"<bytes>"} with bytes that are not UTF-8.
const notUtf8 = (bytes: number[]) => Buffer.concat([Buffer.from('{"key":"a","value":"'), Buffer.from(bytes), Buffer.from('"}')]);

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
  ['a body that is not UTF-8 (a lone 0xFF byte)', 400, (t) => bytes(t, notUtf8([0xff])), /^Request body is not valid UTF-8$/],
  ['a body that is not UTF-8 (an encoded surrogate)', 400, (t) => bytes(t, notUtf8([0xed, 0xa0, 0x80])), /^Request body is not valid UTF-8$/],
  ['a body that is not UTF-8 (Latin-1 text)', 400, (t) => bytes(t, notUtf8([0x5a, 0xfc, 0x72, 0x69, 0x63, 0x68])), /not valid UTF-8/],
  ['a key with a lone surrogate', 400, (t) => json(t, '{"key":"a\\ud800","value":"b"}'), /^"key" is not well-formed Unicode/],
  ['a value with a lone low surrogate', 400, (t) => json(t, '{"key":"a","value":"\\udc00b"}'), /^"value" is not well-formed Unicode/],
  ['a value with reversed surrogates', 400, (t) => json(t, '{"key":"a","value":"\\udc00\\ud800"}'), /^"value" is not well-formed Unicode/],
  ['a gzip-encoded body', 415, (t) => encoded(t, 'gzip'), /^Content-Encoding "gzip" is not supported: send an identity-encoded body$/],
  ['a deflate-encoded body', 415, (t) => encoded(t, 'deflate'), /^Content-Encoding "deflate" is not supported/],
  ['a body with two encodings', 415, (t) => encoded(t, 'identity, br'), /^Content-Encoding "identity, br" is not supported/],
  ['a prototype-poisoning body', 400, (t) => json(t, '{"__proto__":{"x":1},"key":"a","value":"b"}'), /Malformed JSON/],
  ['a key over the limit', 413, (t) => json(t, JSON.stringify({ key: 'k'.repeat(65), value: 'v' })), /Key exceeds the limit of 64 bytes/],
  ['a key over the limit in UTF-8 bytes', 413, (t) => json(t, JSON.stringify({ key: 'é'.repeat(33), value: 'v' })), /Key exceeds/],
  ['a value over the limit', 413, (t) => json(t, JSON.stringify({ key: 'k', value: 'v'.repeat(1025) })), /Value exceeds the limit of 1024 bytes/],
  ['a body over the limit', 413, (t) => json(t, JSON.stringify({ key: 'k', value: 'v'.repeat(5000) })), /Request body exceeds the limit of 4096 bytes/],
  ['text/plain', 415, (t) => t.api().post('/write').set('Content-Type', 'text/plain').send('key=a'), /Unsupported media type "text\/plain"/],
  ['a form body', 415, (t) => t.api().post('/write').type('form').send({ key: 'a', value: 'b' }), /Unsupported media type/],
  ['an unknown route', 404, (t) => t.api().get('/nope'), /No route for GET \/nope/],
  ['malformed JSON to an unknown route', 404, (t) => t.api().post('/nope').set('Content-Type', 'application/json').send('{"key":'), /No route for POST \/nope/],
  ['text/plain to an unknown route', 404, (t) => t.api().post('/nope').set('Content-Type', 'text/plain').send('x'), /No route for POST \/nope/],
  ['a gzip body to an unknown route', 404, (t) => t.api().post('/nope').set('Content-Encoding', 'gzip').send({ key: 'a', value: 'b' }), /No route/],
  ['GET on /write', 404, (t) => t.api().get('/write'), /No route for GET \/write/],
  ['PUT on /write', 404, (t) => t.api().put('/write').send({ key: 'a', value: 'b' }), /No route for PUT \/write/],
  ['POST on /delete', 404, (t) => t.api().post('/delete?key=a'), /No route for POST \/delete/],
  ['DELETE on /list', 404, (t) => t.api().delete('/list'), /No route/],
  ['a key with an invalid percent-encoding (%FF)', 400, (t) => t.api().delete('/delete?key=%FF'), /^Query parameter "key" is not valid percent-encoded UTF-8$/],
  ['a key that percent-encodes a surrogate', 400, (t) => t.api().delete('/delete?key=%ED%A0%80'), /^Query parameter "key" is not valid percent-encoded UTF-8$/],
  ['a key with a truncated percent-encoding', 400, (t) => t.api().delete('/delete?key=sentinel%E2%82'), /not valid percent-encoded UTF-8/],
  ['a key with a stray percent sign', 400, (t) => t.api().delete('/delete?key=sentinel%'), /not valid percent-encoded UTF-8/],
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

  it('accepts well-formed non-ASCII keys and values, surrogate pairs included', async () => {
    await json(suite.t, '{"key":"cl\\u00e9 \\ud83d\\udd11","value":"Z\\u00fcrich \\ud83c\\udfd4"}').expect(200);
    expect(await suite.redis.get('clé 🔑')).toBe('Zürich 🏔');
    await suite.t.api().delete(`/delete?key=${encodeURIComponent('clé 🔑')}`).expect(200);
  });

  it('decodes percent-encoded keys, an encoded percent sign included', async () => {
    await suite.redis.set('100%FF', 'x');
    const res = await suite.t.api().delete('/delete?key=100%25FF').expect(200);
    expect(res.body).toEqual({ message: 'Key 100%FF deleted' });
  });

  it.each(['identity', 'IDENTITY'])('accepts Content-Encoding %s', async (encoding) => {
    await encoded(suite.t, encoding).expect(200);
    expect(await suite.redis.get('a')).toBe('b');
  });

  it('accepts an empty body with a Content-Encoding as "no payload"', async () => {
    const res = await suite.t.api().post('/write').set('Content-Encoding', 'gzip').expect(200);
    expect(res.body.key).toMatch(/^[A-Za-z0-9]{8}$/);
  });
});

const TIMEOUT_MS = 500;

function expectJsonError(res: RawResponse, status: number, message: RegExp): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(res.headers.connection).toBe('close');
  expect(res.headers['x-request-id']).toMatch(/^[\w.:-]{1,128}$/);
  expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.body));
  const body = JSON.parse(res.body) as Record<string, unknown>;
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error).toMatch(message);
  expect(res.closed).toBe(true);
}

describe('malformed HTTP and stalled requests, over raw sockets (real redis-server)', () => {
  const suite = appPerSuite({ REQUEST_TIMEOUT_MS: String(TIMEOUT_MS) });
  let port: number;
  beforeAll(async () => {
    port = await listenApi(suite.t);
  });
  beforeEach(async () => {
    await suite.redis.flushall();
    await suite.redis.set('sentinel', 'unchanged');
  });
  afterEach(async () => {
    expect(await suite.redis.keys('*')).toEqual(['sentinel']);
    expect(await suite.redis.get('sentinel')).toBe('unchanged');
  });

  const counted = async (status: number, method = 'UNKNOWN'): Promise<number> => {
    const text = (await suite.t.management().get('/metrics').expect(200)).text;
    const line = `http_request_duration_seconds_count{method="${method}",route="__unmatched",status_code="${status}"} `;
    const found = text.split('\n').find((entry) => entry.startsWith(line));
    return found ? Number(found.slice(line.length)) : 0;
  };

  it.each([
    ['a malformed request line', 400, 'GARBAGE\r\n\r\n', /^Malformed HTTP request/],
    ['an invalid header line', 400, 'POST /write HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n', /^Malformed HTTP request/],
    ['both Content-Length and Transfer-Encoding', 400, 'POST /write HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', /^Malformed HTTP request/],
    ['headers over the size limit', 431, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, /^Request headers exceed the limit of \d+ bytes$/],
  ])('%s gets %i as {"error"} JSON, closes the connection, and is counted', async (_, status, data, message) => {
    const before = await counted(status);
    const res = await rawExchange(port, data);
    expectJsonError(res, status, message);
    expect(await counted(status)).toBe(before + 1);
  });

  it('a body that stalls gets 408 after REQUEST_TIMEOUT_MS, and the connection closes', async () => {
    const before = await counted(408, 'POST');
    const head = 'POST /write HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n';
    const res = await rawExchange(port, `${head}{"key":"a"`);
    expectJsonError(res, 408, /^Request body not received within 500 ms$/);
    expect(res.elapsedMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(res.elapsedMs).toBeLessThan(2500);
    // Counted once, apart from /write: the time was the client's.
    expect(await counted(408, 'POST')).toBe(before + 1);
  });

  it('a chunked body that stalls gets 408 too', async () => {
    const head = 'POST /write HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';
    const res = await rawExchange(port, `${head}a\r\n{"key":"a"\r\n`);
    expectJsonError(res, 408, /^Request body not received within 500 ms$/);
    expect(res.elapsedMs).toBeLessThan(2500);
  });

  it('a stalled body is cut during a graceful shutdown too, and the close completes', async () => {
    const own = await startApp({ ...suite.server.env(), REQUEST_TIMEOUT_MS: String(TIMEOUT_MS) });
    const ownPort = await listenApi(own);
    const head = 'POST /write HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n';
    const exchange = rawExchange(ownPort, `${head}{"key":"a"`);
    // Let the request reach the server, then shut down: the listener closes, and Node's own
    // request-timeout check stops with it, while the shutdown waits for requests in progress.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const shutdown = own.app.shutdown();
    const res = await exchange;
    expectJsonError(res, 408, /^Request body not received within 500 ms$/);
    expect(res.elapsedMs).toBeLessThan(2500);
    await shutdown;
  });
});
