import { loadConfig } from '../../src/config/app-config';
import Fastify, { type FastifyInstance } from 'fastify';
import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import pino from 'pino';
import { Writable } from 'node:stream';
import { ApiServerParts, clientErrorHandler, configureApiServer, isBlank, withoutRequestChildren } from '../../src/http/configure-http';
import { ShutdownState } from '../../src/lifecycle/shutdown-state';
import { registerHttpMetrics } from '../../src/metrics/http-metrics.hooks';
import { MetricsService } from '../../src/metrics/metrics.service';
import { rawExchange } from '../support/raw-http';

/** The hooks' collaborators with nothing in the way: not draining, Redis available, no API key needed. */
const parts = (): ApiServerParts => ({
  shutdown: new ShutdownState(),
  redis: { shed: () => undefined },
  keys: { authorises: () => true },
  limits: loadConfig({}).limits,
});

describe('isBlank', () => {
  it.each([['', true], [' \t\r\n', true], ['{}', false], ['  {"key":"a"}', false], ['\u00a0', false]])(
    '%p is blank: %p',
    (text, blank) => expect(isBlank(Buffer.from(text))).toBe(blank),
  );
});

describe('withoutRequestChildren', () => {
  it('logs through the root logger, and its children are itself', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const root = pino({ base: { service: 'kv-api' } }, sink);
    const logger = withoutRequestChildren(root);
    expect(logger.child({ reqId: 'r1' })).toBe(logger);
    logger.warn({ port: 1 }, 'from fastify');
    expect(JSON.parse(lines[0])).toMatchObject({ level: 40, service: 'kv-api', port: 1, msg: 'from fastify' });
  });
});

describe('clientErrorHandler', () => {
  const error = (code: string, reason?: string) => Object.assign(new Error(`Parse Error: ${reason ?? code}`), { code, reason });

  function fakeSocket(overrides: Record<string, unknown> = {}) {
    const written: string[] = [];
    const socket = {
      writable: true,
      end: jest.fn((data: string, done: () => void) => {
        written.push(data);
        done();
      }),
      destroy: jest.fn(),
      ...overrides,
    };
    return { socket: socket as unknown as Socket, written, mock: socket };
  }

  async function withMetrics(run: (fastify: FastifyInstance, metrics: MetricsService) => Promise<void>): Promise<void> {
    const fastify = Fastify();
    const metrics = new MetricsService();
    registerHttpMetrics(fastify, metrics);
    try {
      await run(fastify, metrics);
    } finally {
      await fastify.close();
    }
  }

  it.each([
    ['HPE_INVALID_METHOD', 'Invalid method encountered', 400, 'Malformed HTTP request: Invalid method encountered'],
    ['HPE_INVALID_HEADER_TOKEN', 'Invalid header token', 400, 'Malformed HTTP request: Invalid header token'],
    ['HPE_HEADER_OVERFLOW', 'Header overflow', 431, `Request headers exceed the limit of ${maxHeaderSize} bytes`],
    ['HPE_CHUNK_EXTENSIONS_OVERFLOW', 'Chunk extensions overflow', 413, 'Chunk extensions of the request body are too large'],
    ['ERR_HTTP_REQUEST_TIMEOUT', undefined, 408, 'Request not received in time'],
  ])('answers %s with a complete JSON response, closes, and counts it', async (code, reason, status, message) => {
    await withMetrics(async (fastify, metrics) => {
      const { socket, written, mock } = fakeSocket();
      clientErrorHandler.call(fastify, error(code, reason), socket);
      const body = JSON.stringify({ error: message });
      expect(written).toHaveLength(1);
      const [head, sent] = written[0].split('\r\n\r\n');
      expect(sent).toBe(body);
      expect(head.split('\r\n')).toEqual([
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
        expect.stringMatching(/^X-Request-Id: [0-9a-f-]{36}$/),
        'Content-Type: application/json; charset=utf-8',
        `Content-Length: ${Buffer.byteLength(body)}`,
        'Connection: close',
      ]);
      expect(mock.destroy).toHaveBeenCalled();
      const text = await metrics.registry.metrics();
      expect(text).toContain(`http_request_duration_seconds_count{method="UNKNOWN",route="__unmatched",status_code="${status}"} 1`);
    });
  });

  it.each([
    ['a reset connection', error('ECONNRESET'), {}],
    ['a socket that is no longer writable', error('HPE_INVALID_METHOD'), { writable: false }],
    ['a response already begun', error('HPE_INVALID_CHUNK_SIZE'), { _httpMessage: { headersSent: true } }],
  ])('writes nothing on %s, counts nothing, and destroys the socket', async (_, err, overrides) => {
    await withMetrics(async (fastify, metrics) => {
      const { socket, written, mock } = fakeSocket(overrides);
      clientErrorHandler.call(fastify, err, socket);
      expect(written).toEqual([]);
      expect(mock.destroy).toHaveBeenCalled();
      expect(await metrics.registry.metrics()).not.toMatch(/http_request_duration_seconds_count\{/);
    });
  });

  it("answers Node's own request timeout on a request in progress through Fastify, as the timer does", async () => {
    const fastify = Fastify({ clientErrorHandler, requestTimeout: 10_000 });
    configureApiServer(fastify, parts());
    fastify.post('/write', async () => 'written');
    const sockets: Socket[] = [];
    fastify.server.on('connection', (socket: Socket) => sockets.push(socket));
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    try {
      const port = (fastify.server.address() as AddressInfo).port;
      const head = 'POST /write HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n';
      const exchange = rawExchange(port, `${head}{"key":`, { deadlineMs: 3000 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      // What Node's connections check emits once REQUEST_TIMEOUT_MS has passed (every 30 s at most).
      fastify.server.emit('clientError', error('ERR_HTTP_REQUEST_TIMEOUT'), sockets[0]);
      const res = await exchange;
      expect(res.status).toBe(408);
      expect(res.headers['x-request-id']).toBeDefined();
      expect(res.headers.connection).toBe('close');
      expect(JSON.parse(res.body).message).toBe('Request body not received within 10000 ms');
      expect(res.closed).toBe(true);
      expect(res.elapsedMs).toBeLessThan(2000);
    } finally {
      await fastify.close();
    }
  });
});

describe('configureApiServer', () => {
  it('arms no timer without a request timeout, nor for a request without a body', async () => {
    const setTimer = jest.spyOn(global, 'setTimeout');
    const untimed = Fastify();
    configureApiServer(untimed, parts());
    untimed.post('/write', async () => 'ok');
    await untimed.inject({ method: 'POST', url: '/write', payload: { key: 'a' } });
    const timed = Fastify({ requestTimeout: 1000 });
    configureApiServer(timed, parts());
    timed.get('/', async () => 'ok');
    timed.post('/write', async () => 'ok');
    setTimer.mockClear();
    await timed.inject({ method: 'GET', url: '/' });
    expect(setTimer).not.toHaveBeenCalledWith(expect.anything(), 1000, expect.anything(), expect.anything(), 1000);
    await timed.inject({ method: 'POST', url: '/write', payload: { key: 'a' } });
    expect(setTimer).toHaveBeenCalledWith(expect.any(Function), 1000, expect.anything(), expect.anything(), 1000);
    setTimer.mockRestore();
    await untimed.close();
    await timed.close();
  });
});
