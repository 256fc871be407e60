import { ClusterModule, ClusterService, RedisModule, RedisService } from '@liaoliaots/nestjs-redis';
import { DynamicModule, Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import type { RedisConfig } from '../config/app-config';
import { LOGGER } from '../logging/logging.module';
import { MetricsService } from '../metrics/metrics.service';
import { RedisClient } from './redis-client';
import { clusterOptions, standaloneOptions } from './redis-options';

/**
 * Opens the Redis connection through @liaoliaots/nestjs-redis, which also
 * closes it on application shutdown, after the HTTP server has drained.
 */
@Global()
@Module({})
export class RedisClientModule {
  static forRoot(config: RedisConfig): DynamicModule {
    // Logging is ours: the library's logs every reconnect attempt with a stack trace.
    const quiet = { readyLog: false, errorLog: false, closeClient: true };
    const library =
      config.mode === 'cluster'
        ? ClusterModule.forRoot({ ...quiet, config: { ...clusterOptions(config), nodes: config.nodes } })
        : RedisModule.forRoot({ ...quiet, config: standaloneOptions(config) });
    const clientProvider = {
      provide: RedisClient,
      inject: [config.mode === 'cluster' ? ClusterService : RedisService, MetricsService, LOGGER],
      useFactory: (service: RedisService | ClusterService, metrics: MetricsService, logger: Logger) =>
        new RedisClient(service.getOrThrow(), config.mode, metrics, logger.child({ component: 'redis' })),
    };
    return { module: RedisClientModule, imports: [library], providers: [clientProvider], exports: [RedisClient] };
  }
}
