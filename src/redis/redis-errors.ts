import type { RedisErrorReason } from '../metrics/metrics.service';

/**
 * Why a Redis command failed, and what the caller answers: 503 for a Redis that is away or
 * busy for now (the client retries), 400 for input Redis rejected, 500 for the rest.
 */
export const REASON_STATUS: Record<RedisErrorReason, 400 | 500 | 503> = {
  timeout: 503,
  connection: 503,
  overload: 503,
  clusterdown: 503,
  readonly: 503,
  tryagain: 503,
  moved: 503,
  ask: 503,
  loading: 503,
  masterdown: 503,
  auth: 503,
  input: 400,
  oom: 500,
  other: 500,
};

/** A Redis command failed or timed out; REASON_STATUS says what the request answers. */
export class RedisCommandError extends Error {
  constructor(
    readonly command: string,
    readonly reason: RedisErrorReason,
    cause: unknown,
  ) {
    super(`redis ${command} failed (${reason}): ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'RedisCommandError';
  }

  get status(): 400 | 500 | 503 {
    return REASON_STATUS[this.reason];
  }
}

// Error replies carry their kind as the first word; ioredis' own errors are matched by text.
const REPLY_CODES: Record<string, RedisErrorReason> = {
  READONLY: 'readonly',
  MOVED: 'moved',
  ASK: 'ask',
  CLUSTERDOWN: 'clusterdown',
  TRYAGAIN: 'tryagain',
  LOADING: 'loading',
  MASTERDOWN: 'masterdown',
  NOAUTH: 'auth',
  WRONGPASS: 'auth',
  NOPERM: 'auth',
  OOM: 'oom',
};
const CLIENT_ERRORS: [string, RedisErrorReason][] = [
  ['Command timed out', 'timeout'],
  ['Too many Cluster redirections', 'moved'],
  ["Cluster isn't ready", 'clusterdown'],
  ['None of startup nodes is available', 'clusterdown'],
  ['Failed to refresh slots cache', 'clusterdown'],
  ["Stream isn't writeable", 'connection'],
  ['Connection is closed', 'connection'],
  ['Socket timeout', 'connection'],
  ['MaxRetriesPerRequest', 'connection'],
  ['ECONNREFUSED', 'connection'],
  ['ECONNRESET', 'connection'],
  ['EPIPE', 'connection'],
  ['ETIMEDOUT', 'connection'],
  ['ENOTFOUND', 'connection'],
  ['EHOSTUNREACH', 'connection'],
];
// ERR replies that mean the arguments were wrong, not the server.
const INPUT_ERRORS = /^ERR (invalid cursor|syntax error|value is not an integer|.*out of range|string exceeds maximum allowed size|invalid expire time)/i;

export function classifyRedisError(error: unknown): RedisErrorReason {
  if (error instanceof RedisCommandError) return error.reason;
  const message = error instanceof Error ? error.message : String(error);
  const code = REPLY_CODES[message.slice(0, message.indexOf(' ') >>> 0)];
  if (code) return code;
  if (INPUT_ERRORS.test(message)) return 'input';
  const name = error instanceof Error ? `${error.name} ${message}` : message;
  return CLIENT_ERRORS.find(([needle]) => name.includes(needle))?.[1] ?? 'other';
}

/** A failover promotes a replica: a READONLY reply means we talk to the old primary, so reconnect. */
export function isReadOnlyError(error: Error): boolean {
  return error.message.startsWith('READONLY');
}
