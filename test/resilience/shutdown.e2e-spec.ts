import { Agent, request } from 'node:http';
import { Socket, connect } from 'node:net';
import { RedisServer, waitFor } from '../support/redis-server';
import { ServiceProcess } from '../support/service-process';

const DRAIN_DELAY_MS = 2000;
const BULK_KEYS = 20_000;

interface Outcome {
  status: number | string;
  body?: string;
}

/** One request; with stallMs, the reader stops reading for that long after the first chunk. */
function call(agent: Agent, port: number, method: string, path: string, body?: string, stallMs = 0): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (!text && stallMs > 0) {
          res.pause();
          setTimeout(() => res.resume(), stallMs);
        }
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ status: error.code ?? error.message }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ status: error.code ?? error.message }));
    req.end(body);
  });
}

/** Resolves true once a new TCP connection to the port is refused: the listener has closed. */
async function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

/**
 * A raw HTTP/1.1 connection. request() sends one request and resolves with the whole response,
 * read by its Content-Length, or with what came before the connection ended (and the error).
 */
function rawConnection(port: number): Promise<{ request: (text: string) => Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    let received = '';
    let waiter: ((text: string) => void) | undefined;
    const complete = () => {
      const head = received.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: (\d+)/i.exec(received.slice(0, head))?.[1];
      return head >= 0 && length !== undefined && Buffer.byteLength(received) >= head + 4 + Number(length);
    };
    const deliver = (text: string) => {
      waiter?.(text);
      waiter = undefined;
      received = '';
    };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (complete()) deliver(received);
    });
    socket.on('end', () => deliver(`${received}<end>`));
    socket.on('error', (error: NodeJS.ErrnoException) => deliver(`${received}<${error.code}>`));
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve({ request: (text) => new Promise((r) => ((waiter = r), socket.write(text))) });
    });
    socket.once('error', reject);
  });
}

describe('graceful shutdown (real redis-server, real process)', () => {
  let redis: RedisServer;
  let service: ServiceProcess;

  beforeAll(async () => {
    redis = await RedisServer.start();
    const seed = redis.client();
    const pipeline = seed.pipeline();
    for (let i = 0; i < BULK_KEYS; i += 1) pipeline.set(`bulk:${i}`, 'x'.repeat(100));
    await pipeline.exec();
    seed.disconnect();
  });
  beforeEach(async () => {
    service = await ServiceProcess.start({
      REDIS_PORT: String(redis.port),
      SHUTDOWN_DRAIN_DELAY_MS: String(DRAIN_DELAY_MS),
      REQUEST_TIMEOUT_MS: '1500',
      // This suite is about the drain: a loaded machine must not turn it into Redis timeouts.
      REDIS_COMMAND_TIMEOUT_MS: '5000',
    });
    // Listening is not connected: the load starts once the service can serve it.
    await service.ready();
  });
  afterEach(async () => service.stop());
  afterAll(async () => redis.destroy());

  it('serves through the drain and up to the close; every request it accepted completes, and it exits 0', async () => {
    const outcomes: Outcome[] = [];
    let opening = true;
    // Keep-alive clients, as an ingress controller holds them; during the drain every answer
    // says Connection: close, so each request after that comes on a new connection.
    const workers = Array.from({ length: 8 }, async (_, i) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      for (let n = 0; opening; n += 1) {
        const body = JSON.stringify({ key: `w${i}-${n}`, value: 'v' });
        outcomes.push(await (n % 2 ? call(agent, service.port, 'GET', '/') : call(agent, service.port, 'POST', '/write', body)));
      }
      agent.destroy();
    });
    await waitFor(async () => outcomes.length >= 16, 'the load to run', 10_000);

    service.signal('SIGTERM');
    const signalledAt = Date.now();
    await waitFor(async () => (await fetch(service.url('/health/ready', true))).status === 503, 'readiness to turn off', DRAIN_DELAY_MS / 2);
    const drained = outcomes.length;
    // Endpoints drop the pod during the drain: new connections stop just before the close.
    await new Promise((resolve) => setTimeout(resolve, signalledAt + DRAIN_DELAY_MS - 300 - Date.now()));
    // Streamed listings still in flight when the listener closes: their readers stall.
    const listings = Array.from({ length: 3 }, () => call(new Agent({ keepAlive: false }), service.port, 'GET', '/list', undefined, 1000));
    opening = false;
    await Promise.all(workers);

    expect(await service.exited()).toBe(0);
    expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(DRAIN_DELAY_MS);
    expect(outcomes.filter((outcome) => outcome.status !== 200)).toEqual([]);
    expect(outcomes.length - drained).toBeGreaterThan(20);
    for (const listing of await Promise.all(listings)) {
      expect(listing.status).toBe(200);
      expect(Object.keys(JSON.parse(listing.body!)).filter((key) => key.startsWith('bulk:'))).toHaveLength(BULK_KEYS);
    }
    expect(service.output).toContain('shutdown complete');
    // Redis is closed last, after the HTTP server has drained.
    expect(service.output.indexOf('shutdown complete')).toBeGreaterThan(service.output.indexOf('readiness off'));
  });

  it('answers a request that arrives on an open connection just after the listener closed, never resetting it', async () => {
    // Keep-alive connections that served a request before the signal, then sat idle...
    const idle = await Promise.all(Array.from({ length: 10 }, () => rawConnection(service.port)));
    for (const reply of await Promise.all(idle.map((c) => c.request('GET / HTTP/1.1\r\nHost: x\r\n\r\n')))) {
      expect(reply).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    }
    service.signal('SIGTERM');
    const signalledAt = Date.now();
    // ...and connections accepted just before the close.
    await new Promise((resolve) => setTimeout(resolve, signalledAt + DRAIN_DELAY_MS - 200 - Date.now()));
    const fresh = await Promise.all(Array.from({ length: 10 }, () => rawConnection(service.port)));
    // Their requests come only once the listener is closed.
    await waitFor(() => refused(service.port), 'the listener to close', DRAIN_DELAY_MS + 2000);
    const replies = await Promise.all([...idle, ...fresh].map((c) => c.request('GET / HTTP/1.1\r\nHost: x\r\n\r\n')));
    for (const reply of replies) {
      expect(reply).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(reply).toMatch(/\r\nconnection: close\r\n/i);
      expect(reply.endsWith('Hello Redis!')).toBe(true);
    }
    expect(await service.exited()).toBe(0);
  });

  it('cuts an upload stalled during the drain with a 408 and still exits 0 in time', async () => {
    const stalled = await rawConnection(service.port);
    const reply = stalled.request('POST /write HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"key":');
    service.signal('SIGTERM');
    const signalledAt = Date.now();
    expect(await reply).toMatch(/^HTTP\/1\.1 408 /);
    expect(await reply).toMatch(/\{"error":"[^"]+"\}$/);
    expect(await service.exited()).toBe(0);
    // Drain delay, then at most the idle grace: the stalled client held nothing up.
    expect(Date.now() - signalledAt).toBeLessThan(DRAIN_DELAY_MS + 5000);
  });
});
