import { RedisServer, waitFor } from '../support/redis-server';
import { ServiceProcess } from '../support/service-process';

const COMMAND_TIMEOUT_MS = 250;
// Generous: the point is "bounded", not "fast on this machine"; a hang would take the full test timeout.
const FAIL_FAST_BOUND_MS = 2000;

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
    redis = await RedisServer.start();
    service = await ServiceProcess.start({ REDIS_PORT: String(redis.port), REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS) });
    await waitFor(async () => (await fetch(service.url('/health/ready', true))).ok, 'readiness');
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

  it('counts the failures in redis_command_errors_total', async () => {
    const metrics = await (await fetch(service.url('/metrics', true))).text();
    expect(metrics).toMatch(/redis_command_errors_total\{command="set",reason="connection"\} [1-9]/);
    expect(metrics).toMatch(/redis_command_errors_total\{command="set",reason="timeout"\} [1-9]/);
    expect(metrics).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/",status_code="503"\} [1-9]/);
  });
});
