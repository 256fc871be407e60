import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import { MetricsService } from '../metrics/metrics.service';
import { RedisUnavailableError, classifyRedisError } from './redis-errors';

const ERROR_LOG_INTERVAL_MS = 10_000;

/**
 * The one Redis client of the process, standalone or cluster, with every
 * command timed and every failure counted and turned into RedisUnavailableError.
 */
export class RedisClient {
  private lastErrorLog = 0;
  private suppressedErrors = 0;

  constructor(
    readonly client: Redis | Cluster,
    readonly mode: 'standalone' | 'cluster',
    private readonly metrics: MetricsService,
    private readonly logger: Logger,
  ) {
    metrics.trackConnection(() => this.isReady());
    client.on('ready', () => this.logger.info({ mode }, 'redis ready'));
    client.on('error', (error: Error) => this.logError(error));
    client.on('+node', () => this.logger.debug('redis cluster node added'));
  }

  isReady(): boolean {
    return this.client.status === 'ready';
  }

  /** The clients that own data: the primaries of a cluster, or the one standalone server. */
  primaries(): Redis[] {
    if (this.mode === 'standalone') return [this.client as Redis];
    const nodes = (this.client as Cluster).nodes('master');
    // A stable order makes pagination cursors (node index + node cursor) meaningful across requests.
    return nodes.sort((a, b) => nodeName(a).localeCompare(nodeName(b)));
  }

  async run<T>(command: string, execute: () => Promise<T>): Promise<T> {
    const stop = this.metrics.redisDuration.startTimer({ command });
    try {
      return await execute();
    } catch (error) {
      const reason = classifyRedisError(error);
      this.metrics.redisErrors.inc({ command, reason });
      throw new RedisUnavailableError(command, reason, error);
    } finally {
      stop();
    }
  }

  // ioredis emits an error per reconnect attempt; one line per interval is enough during an outage.
  private logError(error: Error): void {
    const now = Date.now();
    if (now - this.lastErrorLog < ERROR_LOG_INTERVAL_MS) {
      this.suppressedErrors += 1;
      return;
    }
    this.logger.warn({ err: error.message, suppressed: this.suppressedErrors }, 'redis connection error');
    this.lastErrorLog = now;
    this.suppressedErrors = 0;
  }
}

export function nodeName(node: Redis): string {
  return `${node.options.host}:${node.options.port}`;
}
