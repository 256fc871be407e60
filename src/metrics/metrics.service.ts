import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

// Fine resolution below 100 ms, where the latency SLO threshold sits.
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export type RedisErrorReason =
  | 'timeout'
  | 'connection'
  | 'overload'
  | 'clusterdown'
  | 'readonly'
  | 'tryagain'
  | 'moved'
  | 'ask'
  | 'loading'
  | 'masterdown'
  | 'auth'
  | 'input'
  | 'oom'
  | 'other';

/** One registry per process, never the global one, so tests and libraries cannot pollute it. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly httpInFlight = new Gauge({
    name: 'http_requests_in_flight',
    help: 'HTTP requests being served.',
    registers: [this.registry],
  });

  readonly redisDuration = new Histogram({
    name: 'redis_command_duration_seconds',
    help: 'Redis command latency as seen by the service, errors included.',
    labelNames: ['command'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly redisErrors = new Counter({
    name: 'redis_command_errors_total',
    help: 'Failed Redis commands by command and reason.',
    labelNames: ['command', 'reason'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Reports the Redis connection state at scrape time, so it is never stale. */
  trackConnection(isConnected: () => boolean): void {
    new Gauge({
      name: 'redis_connected',
      help: '1 when the Redis client is connected and ready, else 0.',
      registers: [this.registry],
      collect() {
        this.set(isConnected() ? 1 : 0);
      },
    });
  }

  /** Redis work sent and not yet settled, read at scrape time: how close the in-flight cap is. */
  trackRedisInflight(read: () => { commands: number; bytes: number }): void {
    new Gauge({
      name: 'redis_inflight_commands',
      help: 'Redis commands sent and not yet answered or failed.',
      registers: [this.registry],
      collect() {
        this.set(read().commands);
      },
    });
    new Gauge({
      name: 'redis_inflight_bytes',
      help: 'Bytes of keys and values carried by the Redis commands in flight.',
      registers: [this.registry],
      collect() {
        this.set(read().bytes);
      },
    });
  }
}
