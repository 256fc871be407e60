import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { RedisHealthIndicator } from './redis.health';
import { ShutdownHealthIndicator } from './shutdown.health';

/** The indicators; HealthController itself is mounted on the management port. */
@Module({
  imports: [TerminusModule],
  providers: [RedisHealthIndicator, ShutdownHealthIndicator],
  exports: [RedisHealthIndicator, ShutdownHealthIndicator],
})
export class HealthModule {}
