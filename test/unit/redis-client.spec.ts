import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { loadConfig } from '../../src/config/app-config';
import { createLogger } from '../../src/logging/logger';
import { MetricsService } from '../../src/metrics/metrics.service';
import { RedisClient } from '../../src/redis/redis-client';

function client(env: Record<string, string>) {
  const fake = Object.assign(new EventEmitter(), { status: 'ready' }) as unknown as Redis;
  const metrics = new MetricsService();
  return { redis: new RedisClient(fake, loadConfig(env).redis, metrics, createLogger('silent')), metrics };
}

function pending() {
  let settle!: () => void;
  const promise = new Promise<string>((resolve) => (settle = () => resolve('OK')));
  return { promise, settle };
}

describe('RedisClient in-flight cap', () => {
  it('refuses a command beyond REDIS_MAX_INFLIGHT_COMMANDS at once, and takes one again once a slot is free', async () => {
    const { redis, metrics } = client({ REDIS_MAX_INFLIGHT_COMMANDS: '2' });
    const [a, b] = [pending(), pending()];
    const first = redis.run('set', () => a.promise);
    const second = redis.run('set', () => b.promise);
    await expect(redis.run('set', async () => 'OK')).rejects.toMatchObject({ reason: 'overload', status: 503 });
    expect(redis.shed('set')).toMatchObject({ reason: 'overload' });
    a.settle();
    await first;
    await expect(redis.run('set', async () => 'OK')).resolves.toBe('OK');
    b.settle();
    await second;
    expect((await metrics.registry.getSingleMetricAsString('redis_command_errors_total'))).toMatch(/reason="overload"\} 2/);
  });

  it('counts bytes until the command settles, even after its request timed out', async () => {
    const { redis } = client({ REDIS_MAX_INFLIGHT_BYTES: String(1024 * 1024), REDIS_MODE: 'cluster', REDIS_COMMAND_TIMEOUT_MS: '10' });
    const big = pending();
    const timedOut = redis.run('set', () => big.promise, { bytes: 800 * 1024 });
    await expect(timedOut).rejects.toMatchObject({ reason: 'timeout' });
    // The request has its 503; the command still holds its bytes until ioredis settles it.
    await expect(redis.run('set', async () => 'OK', { bytes: 300 * 1024 })).rejects.toMatchObject({ reason: 'overload' });
    // A small command still fits beside it.
    await expect(redis.run('get', async () => 'OK', { bytes: 10 })).resolves.toBe('OK');
    big.settle();
    await big.promise;
    await new Promise((resolve) => setImmediate(resolve));
    await expect(redis.run('set', async () => 'OK', { bytes: 300 * 1024 })).resolves.toBe('OK');
  });

  it('sheds work while Redis is not connected', () => {
    const { redis } = client({});
    (redis.client as unknown as { status: string }).status = 'reconnecting';
    expect(redis.shed('set')).toMatchObject({ reason: 'connection', status: 503 });
  });
});
