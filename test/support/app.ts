import type Redis from 'ioredis';
import request from 'supertest';
import { Application, createApplication } from '../../src/application';
import { loadConfig } from '../../src/config/app-config';
import { createLogger } from '../../src/logging/logger';
import { RedisClient } from '../../src/redis/redis-client';
import { RedisTarget, redisForSuite, waitFor } from './redis-server';

export interface TestApp {
  app: Application;
  /** supertest against the public API (Fastify adapter). */
  api: () => ReturnType<typeof request>;
  /** supertest against the management port's application. */
  management: () => ReturnType<typeof request>;
  redis: RedisClient;
  close: () => Promise<void>;
}

/** The real application, in-process, configured through the same environment variables as production. */
export async function startApp(env: Record<string, string>): Promise<TestApp> {
  const config = loadConfig({ SHUTDOWN_DRAIN_DELAY_MS: '0', ...env });
  const app = await createApplication(config, createLogger('silent'));
  await app.api.getHttpAdapter().getInstance().ready();
  await app.management.getHttpAdapter().getInstance().ready();
  const redis = app.api.get(RedisClient);
  await waitFor(async () => redis.isReady(), 'the service to connect to Redis');
  return {
    app,
    api: () => request(app.api.getHttpServer()),
    management: () => request(app.management.getHttpServer()),
    redis,
    close: async () => {
      await app.api.close();
      await app.management.close();
    },
  };
}

export interface SuiteApp {
  server: RedisTarget;
  redis: Redis;
  t: TestApp;
}

/** Starts Redis and the app before the suite and stops both after it; fields are set once beforeAll has run. */
export function appPerSuite(env: Record<string, string> = {}): SuiteApp {
  const suite = {} as SuiteApp;
  beforeAll(async () => {
    suite.server = await redisForSuite();
    suite.redis = suite.server.client();
    suite.t = await startApp({ ...suite.server.env(), ...env });
  });
  afterAll(async () => {
    await suite.t?.close();
    suite.redis?.disconnect();
    await suite.server?.destroy();
  });
  return suite;
}
