import { Agent, request } from 'node:http';
import { RedisServer, waitFor } from '../support/redis-server';
import { ServiceProcess } from '../support/service-process';
import { watchRss } from '../support/process-stats';

// The chart's production limits: 512 MiB of memory per pod, 1 MiB values, 2 MiB bodies.
const MEMORY_LIMIT_BYTES = 512 * 1024 * 1024;
const VALUE = 'v'.repeat(1024 * 1024);
const WRITERS = 50;
const FREEZE_MS = 8000;
const COMMAND_TIMEOUT_MS = 250;
const LARGE_KEYS = 24;

interface Tally {
  [status: string]: number;
}

function post(agent: Agent, port: number, body: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: '/write', agent, headers: { 'content-type': 'application/json', 'content-length': body.length } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(String(res.statusCode)));
        res.on('error', (error) => resolve(error.message));
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error('client timeout')));
    req.on('error', (error) => resolve((error as NodeJS.ErrnoException).code ?? error.message));
    req.end(body);
  });
}

describe('memory and time stay bounded under large values (real redis-server, real process)', () => {
  let redis: RedisServer;
  let service: ServiceProcess;

  beforeAll(async () => {
    redis = await RedisServer.start();
    service = await ServiceProcess.start({
      REDIS_PORT: String(redis.port),
      REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS),
      MAX_VALUE_BYTES: '1048576',
      BODY_LIMIT_BYTES: '2097152',
      LOG_LEVEL: 'warn',
    });
    await service.ready();
  });
  afterAll(async () => {
    redis?.resume();
    await service?.stop();
    await redis?.destroy();
  });

  it('a frozen Redis under writes of the largest value: under the pod memory limit, liveness within 1 s, recovery', async () => {
    const rss = watchRss(service.pid);
    const tally: Tally = {};
    const liveness: number[] = [];
    let running = true;
    const agent = new Agent({ keepAlive: true, maxSockets: WRITERS });
    // Bodies made once: the client's own CPU must not slow the probe it measures.
    const bodies = Array.from({ length: WRITERS }, (_, i) => Buffer.from(JSON.stringify({ key: `big-${i}`, value: VALUE })));
    const writers = Array.from({ length: WRITERS }, async (_, i) => {
      while (running) {
        const status = await post(agent, service.port, bodies[i]);
        tally[status] = (tally[status] ?? 0) + 1;
      }
    });
    const probe = (async () => {
      while (running) {
        const started = performance.now();
        const res = await fetch(service.url('/health/live', true), { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
        liveness.push(res?.ok ? performance.now() - started : Number.POSITIVE_INFINITY);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();

    await waitFor(async () => (tally['200'] ?? 0) >= WRITERS, 'writes to flow', 20_000);
    redis.pause();
    await new Promise((resolve) => setTimeout(resolve, FREEZE_MS));
    const duringFreeze = { ...tally };
    redis.resume();
    const okBefore = tally['200'] ?? 0;
    await waitFor(async () => (tally['200'] ?? 0) >= okBefore + WRITERS, 'writes to succeed again after the freeze', 30_000);
    running = false;
    await Promise.all([...writers, probe]);
    agent.destroy();
    const peak = rss.stop();

    const summary = { peakRssMiB: Math.round(peak / 2 ** 20), duringFreeze, tally, slowestLivenessMs: Math.round(Math.max(...liveness)) };
    // eslint-disable-next-line no-console -- the measured figures belong in the test output
    console.log(JSON.stringify(summary));
    expect(peak).toBeLessThan(MEMORY_LIMIT_BYTES);
    expect(Math.max(...liveness)).toBeLessThan(1000);
    // Writes fail with 503 while Redis is frozen, nothing else; the process never restarts.
    expect(Object.keys(tally).sort()).toEqual(['200', '503']);
    expect(service.alive).toBe(true);
  }, 90_000);

  it('slow readers of /list over large values: streams capped, batches bounded by bytes, under the memory limit', async () => {
    const seed = redis.client();
    await seed.flushall();
    for (let i = 0; i < LARGE_KEYS; i += 1) await seed.set(`large:${i}`, VALUE);
    seed.disconnect();
    // A timeout that large values may well need: the listings must be bounded by their caps, not by timing out.
    await service.stop();
    service = await ServiceProcess.start({ REDIS_PORT: String(redis.port), REDIS_COMMAND_TIMEOUT_MS: '2000', LOG_LEVEL: 'warn' });
    await service.ready();
    const rss = watchRss(service.pid);
    const before = rssBytesNow(service.pid);
    // Fifteen readers that take a chunk every 20 ms; the service holds at most what backpressure lets it.
    const readers = Array.from({ length: 15 }, () => slowList(service.port, 20));
    const outcomes = await Promise.all(readers);
    const peak = rss.stop();
    const complete = outcomes.filter((o) => o.status === 200);
    const refused = outcomes.filter((o) => o.status === 503);
    // eslint-disable-next-line no-console -- the measured figures belong in the test output
    console.log(JSON.stringify({ beforeMiB: Math.round(before / 2 ** 20), peakMiB: Math.round(peak / 2 ** 20), complete: complete.length, refused: refused.length }));
    expect(complete.length + refused.length).toBe(15);
    expect(complete.length).toBeLessThanOrEqual(8);
    expect(refused.length).toBeGreaterThan(0);
    for (const o of refused) expect(o.retryAfter).toBe('1');
    for (const o of complete) expect(o.keys).toBe(LARGE_KEYS);
    // At most eight listings of 1 MiB batches, not fifteen holding 24 MiB each.
    expect(peak).toBeLessThan(MEMORY_LIMIT_BYTES);
  }, 90_000);
});

function rssBytesNow(pid: number): number {
  const watch = watchRss(pid);
  return watch.stop();
}

/** GET /list read slowly: one chunk every pauseMs. */
function slowList(port: number, pauseMs: number): Promise<{ status: number; keys: number; retryAfter?: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/list' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        res.pause();
        setTimeout(() => res.resume(), pauseMs);
      });
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        const keys = res.statusCode === 200 ? Object.keys(JSON.parse(text)).length : 0;
        resolve({ status: res.statusCode ?? 0, keys, retryAfter: res.headers['retry-after'] as string | undefined });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
