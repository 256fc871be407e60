import { Agent, request } from 'node:http';
import { RedisServer, waitFor } from '../support/redis-server';
import { ServiceProcess } from '../support/service-process';

const DRAIN_DELAY_MS = 2000;

interface Outcome {
  status: number | 'error';
  detail?: string;
}

function call(agent: Agent, port: number, method: string, path: string, body?: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
      res.on('error', (error) => resolve({ status: 'error', detail: error.message }));
    });
    req.on('error', (error) => resolve({ status: 'error', detail: error.message }));
    req.end(body);
  });
}

describe('graceful shutdown under load (real redis-server, real process)', () => {
  let redis: RedisServer;
  let service: ServiceProcess;

  beforeAll(async () => {
    redis = await RedisServer.start();
    const seed = redis.client();
    const pipeline = seed.pipeline();
    for (let i = 0; i < 20_000; i += 1) pipeline.set(`bulk:${i}`, 'x'.repeat(100));
    await pipeline.exec();
    seed.disconnect();
    service = await ServiceProcess.start({ REDIS_PORT: String(redis.port), SHUTDOWN_DRAIN_DELAY_MS: String(DRAIN_DELAY_MS) });
  });
  afterAll(async () => {
    await service.stop();
    await redis.destroy();
  });

  it('turns readiness off, keeps serving through the drain, finishes in-flight requests, and exits 0', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const outcomes: Outcome[] = [];
    let sending = true;
    // Keep-alive clients, as an ingress controller would hold them.
    const workers = Array.from({ length: 8 }, async (_, i) => {
      let n = 0;
      while (sending) {
        const body = JSON.stringify({ key: `w${i}-${n}`, value: 'v' });
        outcomes.push(await (n % 2 ? call(agent, service.port, 'GET', '/') : call(agent, service.port, 'POST', '/write', body)));
        n += 1;
      }
    });
    // Load first: every worker has had an answer before the signal.
    await waitFor(async () => outcomes.length >= 16, 'the load to run', 10_000);

    service.signal('SIGTERM');
    const signalledAt = Date.now();
    await waitFor(async () => (await fetch(service.url('/health/ready', true))).status === 503, 'readiness to turn off', DRAIN_DELAY_MS / 2);

    // Endpoint removal takes a moment: traffic keeps arriving for part of the drain delay,
    // counted from the signal (not from whenever readiness was seen off).
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, signalledAt + DRAIN_DELAY_MS / 2 - Date.now())));
    // A long streamed /list started within the drain delay, before the server closes, must still complete.
    const slow = call(new Agent({ keepAlive: false }), service.port, 'GET', '/list');
    expect(Date.now() - signalledAt).toBeLessThan(DRAIN_DELAY_MS);
    sending = false;
    await Promise.all(workers);
    outcomes.push(await slow);

    expect(await service.exited()).toBe(0);
    expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(DRAIN_DELAY_MS);
    const failures = outcomes.filter((outcome) => outcome.status !== 200);
    expect(failures).toEqual([]);
    expect(outcomes.length).toBeGreaterThan(50);
    expect(service.output).toContain('shutdown complete');
    // Redis is closed last, after the HTTP server has drained.
    expect(service.output.indexOf('shutdown complete')).toBeGreaterThan(service.output.indexOf('readiness off'));
    agent.destroy();
  });
});
