import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RedisConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { RedisCommandError, classifyRedisError } from './redis-errors';

const ERROR_LOG_INTERVAL_MS = 10_000;

/** The time a request may still wait on Redis; shared by the commands of one request. */
export interface Deadline {
  readonly at: number;
}

export interface RunOptions {
  /** Defaults to REDIS_COMMAND_TIMEOUT_MS from now. */
  deadline?: Deadline;
  /** What the command carries to Redis (keys and values), counted against the in-flight cap. */
  bytes?: number;
}

/**
 * The one Redis client of the process, standalone or cluster. Every command is timed, counted
 * against the in-flight cap, bounded by its request's deadline, and every failure is counted
 * and turned into a RedisCommandError.
 */
export class RedisClient {
  private lastErrorLog = 0;
  private suppressedErrors = 0;
  private inflightCommands = 0;
  private inflightBytes = 0;
  private readonly commandLabels = new Map<string, { command: string }>();

  constructor(
    readonly client: Redis | Cluster,
    private readonly config: RedisConfig,
    private readonly metrics: MetricsService,
    private readonly logger: Logger,
  ) {
    metrics.trackConnection(() => this.isReady());
    metrics.trackRedisInflight(() => ({ commands: this.inflightCommands, bytes: this.inflightBytes }));
    client.on('ready', () => this.logger.info({ mode: config.mode }, 'redis ready'));
    client.on('error', (error: Error) => this.logError(error));
    client.on('+node', () => this.logger.debug('redis cluster node added'));
  }

  get mode(): 'standalone' | 'cluster' {
    return this.config.mode;
  }

  isReady(): boolean {
    return this.client.status === 'ready';
  }

  deadline(): Deadline {
    return { at: Date.now() + this.config.commandTimeoutMs };
  }

  /**
   * The failure new work would meet at once (Redis not connected, the in-flight cap reached),
   * counted as such; undefined when Redis can take it. Lets a large write be refused before
   * its body is read: during an outage, parsing bodies only to refuse them costs memory.
   */
  shed(command: string): RedisCommandError | undefined {
    let reason: 'connection' | 'overload' | undefined;
    if (!this.isReady()) reason = 'connection';
    else if (this.overloaded(1)) reason = 'overload';
    if (!reason) return undefined;
    this.metrics.redisErrors.inc({ command, reason });
    return new RedisCommandError(command, reason, new Error(reason === 'overload' ? 'too much Redis work in flight' : 'not connected'));
  }

  /**
   * Runs one Redis call. The request gets its answer by its deadline, queueing included; the
   * command itself keeps its in-flight slot until ioredis settles it (its commandTimeout, or the
   * connection failing), so work a sick Redis does not answer cannot pile up past the cap:
   * beyond it, callers fail at once.
   *
   * A standalone command with no shared deadline needs no timer of ours: it is written on the
   * next tick (auto-pipeline), nothing is queued while disconnected, and ioredis' commandTimeout
   * settles it in time. A cluster adds failover retries and a node's own queue, and a request of
   * several sequential commands shares one deadline: those race a timer.
   */
  async run<T>(command: string, execute: () => Promise<T>, options: RunOptions = {}): Promise<T> {
    const bytes = options.bytes ?? 0;
    if (this.overloaded(bytes)) {
      this.metrics.redisErrors.inc({ command, reason: 'overload' });
      throw new RedisCommandError(command, 'overload', new Error('too much Redis work in flight'));
    }
    const started = performance.now();
    this.inflightCommands += 1;
    this.inflightBytes += bytes;
    try {
      if (options.deadline === undefined && this.config.mode === 'standalone') {
        try {
          return await execute();
        } finally {
          this.release(bytes);
        }
      }
      return await this.race(execute, (options.deadline ?? this.deadline()).at - Date.now(), bytes);
    } catch (error) {
      const reason = classifyRedisError(error);
      this.metrics.redisErrors.inc({ command, reason });
      throw new RedisCommandError(command, reason, error);
    } finally {
      // A label object per command name, not per call: startTimer's copies were measurable per request.
      this.metrics.redisDuration.observe(this.labels(command), (performance.now() - started) / 1000);
    }
  }

  /** The command's outcome, or a timeout once `remainingMs` have passed; its slot is released when it settles. */
  private race<T>(execute: () => Promise<T>, remainingMs: number, bytes: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('Command timed out')), Math.max(0, remainingMs));
      const settle = (ok: boolean, outcome: unknown) => {
        this.release(bytes);
        clearTimeout(timer);
        if (ok) resolve(outcome as T);
        else reject(outcome);
      };
      let pending: Promise<T>;
      try {
        pending = execute();
      } catch (error) {
        pending = Promise.reject(error);
      }
      pending.then((value) => settle(true, value), (error: unknown) => settle(false, error));
    });
  }

  private release(bytes: number): void {
    this.inflightCommands -= 1;
    this.inflightBytes -= bytes;
  }

  private labels(command: string): { command: string } {
    let labels = this.commandLabels.get(command);
    if (!labels) {
      labels = { command };
      this.commandLabels.set(command, labels);
    }
    return labels;
  }

  /** True when one more command carrying these bytes would pass the cap; one alone always may. */
  private overloaded(bytes: number): boolean {
    const { commands, bytes: maxBytes } = this.config.maxInflight;
    return this.inflightCommands >= commands || (this.inflightBytes > 0 && this.inflightBytes + bytes > maxBytes);
  }

  /** The clients that own data: the primaries of a cluster, or the one standalone server. */
  primaries(): Redis[] {
    if (this.config.mode === 'standalone') return [this.client as Redis];
    return (this.client as Cluster).nodes('master');
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
