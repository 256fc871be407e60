import type { ClusterOptions, RedisOptions } from 'ioredis';
import type { RedisConfig } from '../config/app-config';
import { isReadOnlyError } from './redis-errors';

const BASE_DELAY_MS = 50;

/** Exponential backoff with full jitter, so that pods do not reconnect in lockstep after a failover. */
export function reconnectDelay(attempt: number, maxDelayMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxDelayMs, BASE_DELAY_MS * 2 ** Math.min(attempt, 16));
  return Math.max(1, Math.round(ceiling * random()));
}

function connectionOptions(config: RedisConfig): RedisOptions {
  return {
    username: config.username,
    password: config.password,
    tls: config.tls ? { ca: config.tls.ca, servername: config.tls.servername } : undefined,
    connectTimeout: config.connectTimeoutMs,
    // Every command settles by then, which frees its in-flight slot (RedisClient.run).
    commandTimeout: config.commandTimeoutMs,
    // A connection that answers nothing for this long is dropped with what it still holds:
    // a timed-out command stays queued until its reply, and a frozen Redis never replies.
    socketTimeout: 2 * config.commandTimeoutMs,
    // A timed-out command has been answered 503 already: never send it again on reconnect.
    autoResendUnfulfilledCommands: false,
    // Fail fast while disconnected instead of queueing requests until they time out. In cluster
    // mode ioredis queues on a node's connection regardless; the in-flight cap bounds that.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // 2 = reconnect and resend the command that got READONLY.
    reconnectOnError: (error) => (isReadOnlyError(error) ? 2 : false),
    retryStrategy: (attempt) => reconnectDelay(attempt, config.reconnectMaxDelayMs),
    keepAlive: 10_000,
  };
}

export function standaloneOptions(config: RedisConfig): RedisOptions {
  const [node] = config.nodes;
  return { ...connectionOptions(config), host: node.host, port: node.port, db: config.db, enableAutoPipelining: true };
}

export function clusterOptions(config: RedisConfig): ClusterOptions {
  return {
    redisOptions: connectionOptions(config),
    enableOfflineQueue: false,
    enableAutoPipelining: true,
    clusterRetryStrategy: (attempt) => reconnectDelay(attempt, config.reconnectMaxDelayMs),
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
    retryDelayOnTryAgain: 100,
    slotsRefreshTimeout: config.connectTimeoutMs,
    // Listings talk to primaries directly, never seeing the MOVED that would refresh the slots
    // after a failover: refresh them on a timer as well.
    slotsRefreshInterval: 5000,
    scaleReads: 'master',
    // Memorystore announces nodes by IP; keep them as given so TLS and PSC addresses line up.
    dnsLookup: (address, callback) => callback(null, address),
  };
}
