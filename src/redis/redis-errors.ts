import type { RedisErrorReason } from '../metrics/metrics.service';

/** A Redis command failed or timed out: the caller answers 503 and the client retries. */
export class RedisUnavailableError extends Error {
  constructor(
    readonly command: string,
    readonly reason: RedisErrorReason,
    cause: unknown,
  ) {
    super(`redis ${command} failed (${reason}): ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'RedisUnavailableError';
  }
}

const CONNECTION_ERRORS = [
  "Stream isn't writeable",
  'Connection is closed',
  "Cluster isn't ready",
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'MaxRetriesPerRequest',
  'CLUSTERDOWN',
  'LOADING',
  'MASTERDOWN',
  'TRYAGAIN',
  'None of startup nodes is available',
  'Failed to refresh slots cache',
];

export function classifyRedisError(error: unknown): RedisErrorReason {
  const message = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  if (message.includes('Command timed out')) return 'timeout';
  if (message.includes('READONLY')) return 'readonly';
  if (CONNECTION_ERRORS.some((needle) => message.includes(needle))) return 'connection';
  return 'other';
}

/** A failover promotes a replica: a READONLY reply means we talk to the old primary, so reconnect. */
export function isReadOnlyError(error: Error): boolean {
  return error.message.startsWith('READONLY');
}
