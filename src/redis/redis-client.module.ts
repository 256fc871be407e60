import { ClusterModule, ClusterService, RedisModule, RedisService } from '@liaoliaots/nestjs-redis';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RedisConfig } from '../config/app-config';
import { LOGGER } from '../logging/logging.module';
import { MetricsService } from '../metrics/metrics.service';
import { IamTokenSource } from './iam-token';
import { RedisClient } from './redis-client';
import { clusterOptions, standaloneOptions } from './redis-options';

interface Credentials {
  config: RedisConfig;
  /** Keeps the client's password current for the connections it opens later. */
  attach: (client: Redis | Cluster) => void;
}

function setPassword(client: Redis | Cluster, password: string): void {
  if (client instanceof Cluster) {
    // Mutated in place: the cluster's connection pool holds this very object for new nodes.
    client.options.redisOptions!.password = password;
    for (const node of client.nodes()) node.options.password = password;
  } else {
    client.options.password = password;
  }
}

async function credentials(config: RedisConfig, logger: Logger): Promise<Credentials> {
  if (!config.iamMetadataHost) return { config, attach: () => undefined };
  const source = new IamTokenSource(config.iamMetadataHost, logger);
  const first = await source.fetch().catch((error: Error) => {
    throw new Error(`REDIS_AUTH_MODE=iam: cannot get an access token: ${error.message}`);
  });
  return {
    config: { ...config, password: first.value },
    attach: (client) => {
      source.keepFresh(first, (token) => setPassword(client, token));
      client.once('end', () => source.stop());
    },
  };
}

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
        ? ClusterModule.forRootAsync({
            inject: [LOGGER],
            useFactory: async (logger: unknown) => {
              const { config: resolved, attach } = await credentials(config, logger as Logger);
              return { ...quiet, config: { ...clusterOptions(resolved), nodes: resolved.nodes, onClientCreated: attach } };
            },
          })
        : RedisModule.forRootAsync({
            inject: [LOGGER],
            useFactory: async (logger: unknown) => {
              const { config: resolved, attach } = await credentials(config, logger as Logger);
              return { ...quiet, config: { ...standaloneOptions(resolved), onClientCreated: attach } };
            },
          });
    const clientProvider = {
      provide: RedisClient,
      inject: [config.mode === 'cluster' ? ClusterService : RedisService, MetricsService, LOGGER],
      useFactory: (service: RedisService | ClusterService, metrics: MetricsService, logger: Logger) =>
        new RedisClient(service.getOrThrow(), config, metrics, logger.child({ component: 'redis' })),
    };
    return { module: RedisClientModule, imports: [library], providers: [clientProvider], exports: [RedisClient] };
  }
}
