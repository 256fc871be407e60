import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import { ApiKeys } from './auth/api-keys';
import type { AppConfig } from './config/app-config';
import { apiServerOptions, configureApiServer } from './http/configure-http';
import { GracefulClose } from './http/graceful-close';
import { HttpErrorFilter } from './http/http-error.filter';
import { ShutdownState } from './lifecycle/shutdown-state';
import { PinoNestLogger } from './logging/logger';
import { ManagementModule } from './management.module';
import { registerHttpMetrics } from './metrics/http-metrics.hooks';
import { MetricsService } from './metrics/metrics.service';
import { RedisClient } from './redis/redis-client';

export interface Application {
  api: NestFastifyApplication;
  management: NestFastifyApplication;
  listen(): Promise<void>;
  /** Readiness off, drain delay, in-flight requests finish, then Redis closes. */
  shutdown(): Promise<void>;
}

/** Listens, turning the usual socket errors into one line that names the variable to change. */
async function listenOn(app: NestFastifyApplication, port: number, host: string, variable: string): Promise<void> {
  try {
    await app.listen(port, host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new Error(`${host}:${port} is already in use: set ${variable} to a free port`);
    if (code === 'EACCES') throw new Error(`no permission to listen on ${host}:${port}: set ${variable} to a port above 1023`);
    if (code === 'EADDRNOTAVAIL') throw new Error(`${host} is not an address of this machine: set HOST`);
    throw error;
  }
}

export async function createApplication(config: AppConfig, logger: Logger): Promise<Application> {
  const nestLogger = new PinoNestLogger(logger);
  const api = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, logger),
    // No Nest middleware is registered: without middie, no hook of its own runs on every request.
    new FastifyAdapter({ ...apiServerOptions(config, logger), skipMiddie: true }),
    // Body parsing is ours (see configureApiServer): an empty JSON body is a valid "no payload".
    // abortOnError: false lets start-up errors reach main(), which reports them without a stack trace.
    { logger: nestLogger, bodyParser: false, abortOnError: false },
  );
  api.useGlobalFilters(new HttpErrorFilter(config, logger));
  const fastify = api.getHttpAdapter().getInstance();
  configureApiServer(fastify, { shutdown: api.get(ShutdownState), redis: api.get(RedisClient), keys: api.get(ApiKeys), limits: config.limits });
  registerHttpMetrics(fastify, api.get(MetricsService));
  const connections = new GracefulClose(api.getHttpServer());
  await api.init();

  const management = await NestFactory.create<NestFastifyApplication>(
    ManagementModule.fromApi(api),
    new FastifyAdapter({ return503OnClosing: false }),
    { logger: nestLogger, abortOnError: false },
  );
  await management.init();

  return {
    api,
    management,
    async listen() {
      await listenOn(api, config.port, config.host, 'PORT');
      await listenOn(management, config.managementPort, config.host, 'MANAGEMENT_PORT');
    },
    async shutdown() {
      api.get(ShutdownState).begin();
      logger.info({ drainDelayMs: config.shutdown.drainDelayMs }, 'shutdown: readiness off, draining');
      await delay(config.shutdown.drainDelayMs);
      // Stop accepting, let every request that reached us finish, close idle connections with
      // a FIN; Redis closes after, on application shutdown.
      logger.info('shutdown: closing the listener, finishing requests in progress');
      await connections.close();
      await api.close();
      await management.close();
      logger.info('shutdown complete');
    },
  };
}
