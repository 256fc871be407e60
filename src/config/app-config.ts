import { readFileSync } from 'node:fs';
import { ConfigError, EnvironmentVariables, parseApiKeys, parseEnvironment } from './environment';

export interface RedisConfig {
  mode: 'standalone' | 'cluster';
  nodes: { host: string; port: number }[];
  db: number;
  username?: string;
  password?: string;
  /** Set when the password is a short-lived IAM access token from this metadata server. */
  iamMetadataHost?: string;
  tls?: { ca?: Buffer; servername?: string };
  commandTimeoutMs: number;
  connectTimeoutMs: number;
  reconnectMaxDelayMs: number;
  /** Commands sent and not yet answered (or failed by the connection), and the bytes they carry. */
  maxInflight: { commands: number; bytes: number };
}

export interface AppConfig {
  host: string;
  port: number;
  managementPort: number;
  redis: RedisConfig;
  healthCheckTimeoutMs: number;
  auth: { keys?: string[]; keysFile?: string };
  limits: {
    maxKeyBytes: number;
    maxValueBytes: number;
    bodyLimitBytes: number;
    listMaxCount: number;
    listBatchSize: number;
    listBatchBytes: number;
    listMaxConcurrent: number;
    maxInflightBodyBytes: number;
  };
  /** A request whose body has not fully arrived by then is answered 408. */
  requestTimeoutMs: number;
  shutdown: { drainDelayMs: number; timeoutMs: number };
  retryAfterSeconds: number;
  logLevel: EnvironmentVariables['LOG_LEVEL'];
}

export const APP_CONFIG = Symbol('APP_CONFIG');

function readSecretFile(variable: string, path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new ConfigError([`${variable}: cannot read ${path}: ${(error as Error).message}`]);
  }
}

/** A keys file that holds no key would lock every caller out from the start: refuse it. */
function checkApiKeysFile(path: string): void {
  if (parseApiKeys(readSecretFile('API_KEYS_FILE', path), '\n').length === 0) {
    throw new ConfigError([`API_KEYS_FILE: ${path} holds no key: write one key per line`]);
  }
}

function parseNode(entry: string): { host: string; port: number } {
  const at = entry.lastIndexOf(':');
  return { host: entry.slice(0, at), port: Number(entry.slice(at + 1)) };
}

/** Builds the service configuration from the environment; throws ConfigError naming the variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const vars = parseEnvironment(env);
  const password = vars.REDIS_PASSWORD_FILE
    ? readSecretFile('REDIS_PASSWORD_FILE', vars.REDIS_PASSWORD_FILE)
    : vars.REDIS_PASSWORD;
  const ca = vars.REDIS_TLS_CA_FILE ? Buffer.from(readSecretFile('REDIS_TLS_CA_FILE', vars.REDIS_TLS_CA_FILE)) : undefined;
  if (vars.API_KEYS_FILE) checkApiKeysFile(vars.API_KEYS_FILE);
  const tlsEnabled = vars.REDIS_TLS || ca !== undefined;
  return {
    host: vars.HOST,
    port: vars.PORT,
    managementPort: vars.MANAGEMENT_PORT,
    redis: {
      mode: vars.REDIS_MODE,
      nodes: vars.REDIS_CLUSTER_NODES?.map(parseNode) ?? [{ host: vars.REDIS_HOST, port: vars.REDIS_PORT }],
      db: vars.REDIS_DB,
      username: vars.REDIS_USERNAME,
      password,
      iamMetadataHost: vars.REDIS_AUTH_MODE === 'iam' ? vars.GCE_METADATA_HOST : undefined,
      tls: tlsEnabled ? { ca, servername: vars.REDIS_TLS_SERVERNAME } : undefined,
      commandTimeoutMs: vars.REDIS_COMMAND_TIMEOUT_MS,
      connectTimeoutMs: vars.REDIS_CONNECT_TIMEOUT_MS,
      reconnectMaxDelayMs: vars.REDIS_RECONNECT_MAX_DELAY_MS,
      maxInflight: { commands: vars.REDIS_MAX_INFLIGHT_COMMANDS, bytes: vars.REDIS_MAX_INFLIGHT_BYTES },
    },
    healthCheckTimeoutMs: vars.HEALTH_CHECK_TIMEOUT_MS,
    auth: { keys: vars.API_KEYS, keysFile: vars.API_KEYS_FILE },
    limits: {
      maxKeyBytes: vars.MAX_KEY_BYTES,
      maxValueBytes: vars.MAX_VALUE_BYTES,
      bodyLimitBytes: vars.BODY_LIMIT_BYTES,
      listMaxCount: vars.LIST_MAX_COUNT,
      listBatchSize: vars.LIST_BATCH_SIZE,
      listBatchBytes: vars.LIST_BATCH_BYTES,
      listMaxConcurrent: vars.LIST_MAX_CONCURRENT,
      maxInflightBodyBytes: vars.MAX_INFLIGHT_BODY_BYTES,
    },
    requestTimeoutMs: vars.REQUEST_TIMEOUT_MS,
    shutdown: { drainDelayMs: vars.SHUTDOWN_DRAIN_DELAY_MS, timeoutMs: vars.SHUTDOWN_TIMEOUT_MS },
    retryAfterSeconds: vars.RETRY_AFTER_SECONDS,
    logLevel: vars.LOG_LEVEL,
  };
}
