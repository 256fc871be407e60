import { request } from 'node:http';
import { RedisServer, waitFor } from '../support/redis-server';
import { ServiceProcess } from '../support/service-process';

const COMMAND_TIMEOUT_MS = 250;
// The timeout bounds a request's whole wait on Redis; the margin is for this machine's scheduling.
const FAIL_FAST_BOUND_MS = COMMAND_TIMEOUT_MS + 200;

async function timed(url: string, init?: RequestInit): Promise<{ status: number; ms: number; body: string; retryAfter: string | null }> {
  const started = performance.now();
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const body = await res.text();
  return { status: res.status, ms: performance.now() - started, body, retryAfter: res.headers.get('retry-after') };
}

describe('Redis outages against the compiled service (real redis-server, real process)', () => {
  let redis: RedisServer;
  let service: ServiceProcess;

  beforeAll(async () => {
    redis = await RedisServer.start(['--enable-debug-command', 'yes']);
    service = await ServiceProcess.start({ REDIS_PORT: String(redis.port), REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS) });
    await service.ready();
  });
  afterAll(async () => {
    await service.stop();
    await redis.destroy();
  });

  it('answers 503 fast while Redis is down, stays alive, and recovers without a restart', async () => {
    expect((await timed(service.url('/'))).status).toBe(200);
    await redis.stop();

    for (const [path, method] of [['/', 'GET'], ['/write', 'POST'], ['/list', 'GET'], ['/delete?key=a', 'DELETE']]) {
      const res = await timed(service.url(path), { method });
      expect({ path, status: res.status }).toEqual({ path, status: 503 });
      expect(JSON.parse(res.body)).toEqual({ error: 'Redis is unavailable; retry later' });
      expect(res.retryAfter).toBe('1');
      expect(res.ms).toBeLessThan(FAIL_FAST_BOUND_MS);
    }
    await waitFor(async () => (await fetch(service.url('/health/ready', true))).status === 503, 'readiness to fail');
    expect((await fetch(service.url('/health/live', true))).status).toBe(200);
    expect(service.alive).toBe(true);

    await redis.launch();
    await waitFor(async () => (await timed(service.url('/'))).status === 200, 'requests to succeed again', 15_000);
    expect((await fetch(service.url('/health/ready', true))).status).toBe(200);
    expect(service.alive).toBe(true);
  });

  it('times out on a frozen Redis within the command timeout, then recovers', async () => {
    redis.pause();
    try {
      const res = await timed(service.url('/'));
      expect(res.status).toBe(503);
      expect(res.ms).toBeGreaterThanOrEqual(COMMAND_TIMEOUT_MS - 20);
      expect(res.ms).toBeLessThan(FAIL_FAST_BOUND_MS);
      const ready = await timed(service.url('/health/ready', true));
      expect(ready.status).toBe(503);
      expect(ready.ms).toBeLessThan(FAIL_FAST_BOUND_MS);
    } finally {
      redis.resume();
    }
    await waitFor(async () => (await timed(service.url('/'))).status === 200, 'requests to succeed again', 15_000);
    expect(service.alive).toBe(true);
  });

  it("bounds a request's whole wait on Redis by the timeout, across its commands", async () => {
    // GET / is a SET then a GET: with Redis busy for 200 ms at a time, each alone would make
    // the timeout and both together would not.
    const busy = redis.client();
    let running = true;
    const blocker = (async () => {
      while (running) {
        await busy.call('DEBUG', 'SLEEP', '0.2');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const timings: number[] = [];
    try {
      for (let i = 0; i < 20; i += 1) {
        const res = await timed(service.url('/'));
        expect([200, 503]).toContain(res.status);
        timings.push(res.ms);
      }
    } finally {
      running = false;
      await blocker;
      busy.disconnect();
    }
    expect(Math.max(...timings)).toBeLessThan(FAIL_FAST_BOUND_MS);
  });

  it('aborts a listing whose Redis fails after the first bytes, and counts it as a 500', async () => {
    const seed = redis.client();
    const pipeline = seed.pipeline();
    for (let i = 0; i < 3000; i += 1) pipeline.set(`many:${i}`, 'x'.repeat(10_000));
    await pipeline.exec();
    seed.disconnect();
    const outcome = await new Promise<string>((resolve) => {
      const req = request({ host: '127.0.0.1', port: service.port, path: '/list' }, (res) => {
        let received = 0;
        res.once('data', (chunk: Buffer) => {
          received += chunk.length;
          // Redis freezes while the reader holds the stream back; the next batch cannot come.
          res.pause();
          redis.pause();
          setTimeout(() => res.resume(), 100);
        });
        res.on('data', (chunk: Buffer) => (received += chunk.length));
        res.on('end', () => resolve(`complete after ${received} bytes`));
        res.on('error', (error: NodeJS.ErrnoException) => resolve(`aborted: ${error.code ?? error.message}`));
      });
      req.on('error', (error: NodeJS.ErrnoException) => resolve(`aborted: ${error.code ?? error.message}`));
      req.end();
    });
    redis.resume();
    expect(outcome).toMatch(/^aborted/);
    const metrics = await (await fetch(service.url('/metrics', true))).text();
    expect(metrics).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/list",status_code="500"\} 1/);
    await waitFor(async () => (await timed(service.url('/'))).status === 200, 'requests to succeed again', 15_000);
  });

  it('counts the failures in redis_command_errors_total', async () => {
    const metrics = await (await fetch(service.url('/metrics', true))).text();
    expect(metrics).toMatch(/redis_command_errors_total\{command="set",reason="connection"\} [1-9]/);
    expect(metrics).toMatch(/redis_command_errors_total\{command="set",reason="timeout"\} [1-9]/);
    expect(metrics).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/",status_code="503"\} [1-9]/);
  });
});
