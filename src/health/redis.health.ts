import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { Cluster } from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RedisClient } from '../redis/redis-client';

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** PING for a standalone server; cluster_state:ok for a cluster. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async isHealthy(key: string): Promise<HealthIndicatorResult> {
    const check = this.indicator.check(key);
    try {
      await withTimeout(this.probe(), this.config.healthCheckTimeoutMs);
      return check.up({ mode: this.redis.mode });
    } catch (error) {
      const cause = (error as Error).cause as Error | undefined;
      return check.down({ mode: this.redis.mode, message: cause?.message ?? (error as Error).message });
    }
  }

  private async probe(): Promise<void> {
    if (this.redis.mode === 'standalone') {
      const reply = await this.redis.run('ping', () => this.redis.client.ping());
      if (reply !== 'PONG') throw new Error(`unexpected PING reply ${reply}`);
      return;
    }
    const info = await this.redis.run('cluster', () => (this.redis.client as Cluster).cluster('INFO'));
    if (!info.includes('cluster_state:ok')) throw new Error('cluster_state is not ok');
  }
}
