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
    commandTimeout: config.commandTimeoutMs,
    // Fail fast while disconnected instead of queueing requests until they time out.
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
    scaleReads: 'master',
    // Memorystore announces nodes by IP; keep them as given so TLS and PSC addresses line up.
    dnsLookup: (address, callback) => callback(null, address),
  };
}
