import { HealthIndicatorService } from '@nestjs/terminus';
import { loadConfig } from '../../src/config/app-config';
import { RedisHealthIndicator } from '../../src/health/redis.health';
import { ShutdownHealthIndicator } from '../../src/health/shutdown.health';
import { ShutdownState } from '../../src/lifecycle/shutdown-state';
import { RedisClient } from '../../src/redis/redis-client';

function indicator(mode: 'standalone' | 'cluster', reply: () => Promise<string>) {
  const redis = {
    mode,
    client: { ping: reply, cluster: reply },
    run: (_: string, execute: () => Promise<string>) => execute(),
  } as unknown as RedisClient;
  return new RedisHealthIndicator(new HealthIndicatorService(), redis, loadConfig({ HEALTH_CHECK_TIMEOUT_MS: '50' }));
}

describe('RedisHealthIndicator', () => {
  it('is up on PONG', async () => {
    expect(await indicator('standalone', async () => 'PONG').isHealthy('redis')).toEqual({ redis: { status: 'up', mode: 'standalone' } });
  });

  it('is down on an error, with the reason', async () => {
    const result = await indicator('standalone', async () => Promise.reject(new Error('Connection is closed.'))).isHealthy('redis');
    expect(result.redis).toMatchObject({ status: 'down', message: 'Connection is closed.' });
  });

  it('is down when Redis does not answer in time', async () => {
    const result = await indicator('standalone', () => new Promise(() => undefined)).isHealthy('redis');
    expect(result.redis).toMatchObject({ status: 'down', message: 'no answer within 50 ms' });
  });

  it('needs cluster_state:ok in cluster mode', async () => {
    expect((await indicator('cluster', async () => 'cluster_state:ok\r\n').isHealthy('redis')).redis.status).toBe('up');
    expect((await indicator('cluster', async () => 'cluster_state:fail\r\n').isHealthy('redis')).redis.status).toBe('down');
  });
});

describe('ShutdownHealthIndicator', () => {
  it('turns down once shutdown begins', () => {
    const state = new ShutdownState();
    const health = new ShutdownHealthIndicator(new HealthIndicatorService(), state);
    expect(health.check('shutdown').shutdown.status).toBe('up');
    state.begin();
    expect(health.check('shutdown').shutdown.status).toBe('down');
  });
});
