import { DynamicModule, INestApplicationContext, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health/health.controller';
import { RedisHealthIndicator } from './health/redis.health';
import { ShutdownHealthIndicator } from './health/shutdown.health';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';

/**
 * The management port's application: health and metrics controllers over the
 * API application's own providers, so both ports share one Redis client, one
 * metrics registry and one shutdown state, and the public port exposes neither.
 */
@Module({})
export class ManagementModule {
  static fromApi(api: INestApplicationContext): DynamicModule {
    const shared = [MetricsService, RedisHealthIndicator, ShutdownHealthIndicator];
    return {
      module: ManagementModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, MetricsController],
      providers: shared.map((token) => ({ provide: token, useValue: api.get(token, { strict: false }) })),
    };
  }
}
