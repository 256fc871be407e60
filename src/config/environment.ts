import {
  ArrayNotEmpty,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidationError,
  validateSync,
} from 'class-validator';

const HOST_PORT = /^[^\s:,]+:\d{1,5}$/;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * The environment as the service reads it. Every property is named after its
 * variable so that class-validator's messages name the variable at fault.
 */
export class EnvironmentVariables {
  @IsString() @MinLength(1) HOST = '0.0.0.0';
  @IsInt() @Min(1) @Max(65535) PORT = 8080;
  @IsInt() @Min(1) @Max(65535) MANAGEMENT_PORT = 9464;

  @IsIn(['standalone', 'cluster']) REDIS_MODE: 'standalone' | 'cluster' = 'standalone';
  @IsString() @MinLength(1) REDIS_HOST = '127.0.0.1';
  @IsInt() @Min(1) @Max(65535) REDIS_PORT = 6379;
  @IsOptional() @Matches(HOST_PORT, { each: true, message: 'REDIS_CLUSTER_NODES must be a comma-separated list of host:port' })
  REDIS_CLUSTER_NODES?: string[];
  @IsInt() @Min(0) @Max(15) REDIS_DB = 0;
  @IsOptional() @IsString() REDIS_USERNAME?: string;
  @IsOptional() @IsString() REDIS_PASSWORD?: string;
  @IsOptional() @IsString() REDIS_PASSWORD_FILE?: string;
  // iam: Memorystore IAM auth, an access token of the pod's Google service account as the password.
  @IsIn(['password', 'iam']) REDIS_AUTH_MODE: 'password' | 'iam' = 'password';
  @IsString() @MinLength(1) GCE_METADATA_HOST = '169.254.169.254';
  @IsBoolean() REDIS_TLS = false;
  @IsOptional() @IsString() REDIS_TLS_CA_FILE?: string;
  @IsOptional() @IsString() REDIS_TLS_SERVERNAME?: string;
  @IsInt() @Min(10) @Max(10_000) REDIS_COMMAND_TIMEOUT_MS = 250;
  @IsInt() @Min(100) @Max(60_000) REDIS_CONNECT_TIMEOUT_MS = 2000;
  @IsInt() @Min(50) @Max(60_000) REDIS_RECONNECT_MAX_DELAY_MS = 2000;
  @IsInt() @Min(10) @Max(10_000) HEALTH_CHECK_TIMEOUT_MS = 300;
  // The cap on Redis work in flight: past it, requests get a fast 503 instead of queueing memory.
  @IsInt() @Min(1) @Max(1_000_000) REDIS_MAX_INFLIGHT_COMMANDS = 2000;
  @IsInt() @Min(1024 * 1024) @Max(1024 * 1024 * 1024) REDIS_MAX_INFLIGHT_BYTES = 32 * 1024 * 1024;

  @IsOptional()
  @ArrayNotEmpty({ message: 'API_KEYS is set but holds no key: list the keys separated by commas, or unset it' })
  @IsString({ each: true })
  API_KEYS?: string[];
  @IsOptional() @IsString() API_KEYS_FILE?: string;

  @IsInt() @Min(1) @Max(512 * 1024 * 1024) MAX_KEY_BYTES = 1024;
  @IsInt() @Min(1) @Max(512 * 1024 * 1024) MAX_VALUE_BYTES = 1024 * 1024;
  @IsInt() @Min(1024) @Max(1024 * 1024 * 1024) BODY_LIMIT_BYTES = 2 * 1024 * 1024;
  @IsInt() @Min(1) @Max(10_000) LIST_MAX_COUNT = 1000;
  @IsInt() @Min(1) @Max(10_000) LIST_BATCH_SIZE = 100;
  @IsInt() @Min(1024) @Max(256 * 1024 * 1024) LIST_BATCH_BYTES = 1024 * 1024;
  @IsInt() @Min(1) @Max(1000) LIST_MAX_CONCURRENT = 8;
  @IsInt() @Min(100) @Max(600_000) REQUEST_TIMEOUT_MS = 10_000;
  // Request bodies being received at once, by their announced size: past it, a fast 503.
  @IsInt() @Min(1024 * 1024) @Max(4 * 1024 * 1024 * 1024) MAX_INFLIGHT_BODY_BYTES = 32 * 1024 * 1024;

  @IsInt() @Min(0) @Max(300_000) SHUTDOWN_DRAIN_DELAY_MS = 5000;
  @IsInt() @Min(100) @Max(600_000) SHUTDOWN_TIMEOUT_MS = 20_000;
  @IsInt() @Min(1) @Max(3600) RETRY_AFTER_SECONDS = 1;
  @IsIn(LOG_LEVELS) LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';
}

/**
 * The API keys in API_KEYS (separated by commas) or in API_KEYS_FILE's text (one per line):
 * trimmed, blanks dropped. The one parser of keys, for the start-up check and for every reload.
 */
export function parseApiKeys(text: string, separator: ',' | '\n'): string[] {
  return text
    .split(separator)
    .map((key) => key.trim())
    .filter(Boolean);
}

type Kind = 'int' | 'bool' | 'list' | 'keys' | 'string';

function kindOf(defaults: EnvironmentVariables, name: keyof EnvironmentVariables): Kind {
  if (name === 'REDIS_CLUSTER_NODES') return 'list';
  if (name === 'API_KEYS') return 'keys';
  const value = defaults[name];
  if (typeof value === 'number') return 'int';
  if (typeof value === 'boolean') return 'bool';
  return 'string';
}

function convert(kind: Kind, raw: string): unknown {
  const text = raw.trim();
  switch (kind) {
    // Anything that is not a plain integer becomes NaN, which @IsInt rejects.
    case 'int':
      return /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
    case 'bool':
      if (['true', '1', 'yes'].includes(text.toLowerCase())) return true;
      if (['false', '0', 'no'].includes(text.toLowerCase())) return false;
      return text;
    case 'list':
      return text
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
    case 'keys':
      return parseApiKeys(raw, ',');
    default:
      return raw;
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

// A value of the wrong type also fails every range check: report the type alone.
const TYPE_CONSTRAINTS = ['isInt', 'isBoolean', 'isString'];

function flatten(errors: ValidationError[]): string[] {
  return errors.flatMap((error) => {
    const constraints = error.constraints ?? {};
    const typeProblem = TYPE_CONSTRAINTS.find((name) => name in constraints);
    return typeProblem ? [constraints[typeProblem]] : Object.values(constraints);
  });
}

/** Reads, converts and validates the variables; unset or empty ones keep their defaults. */
export function parseEnvironment(env: NodeJS.ProcessEnv): EnvironmentVariables {
  const vars = new EnvironmentVariables();
  const defaults = new EnvironmentVariables();
  const names = new Set([...Object.keys(defaults), 'REDIS_CLUSTER_NODES', 'REDIS_USERNAME', 'REDIS_PASSWORD',
    'REDIS_PASSWORD_FILE', 'REDIS_TLS_CA_FILE', 'REDIS_TLS_SERVERNAME', 'API_KEYS', 'API_KEYS_FILE']);
  for (const name of names as Set<keyof EnvironmentVariables>) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    (vars as unknown as Record<string, unknown>)[name] = convert(kindOf(defaults, name), raw);
  }
  const problems = flatten(validateSync(vars, { forbidUnknownValues: true }));
  problems.push(...crossFieldProblems(vars));
  if (problems.length > 0) throw new ConfigError(problems);
  return vars;
}

function crossFieldProblems(vars: EnvironmentVariables): string[] {
  const problems: string[] = [];
  if (vars.PORT === vars.MANAGEMENT_PORT) {
    problems.push('MANAGEMENT_PORT must differ from PORT');
  }
  if (vars.REDIS_PASSWORD !== undefined && vars.REDIS_PASSWORD_FILE !== undefined) {
    problems.push('set REDIS_PASSWORD or REDIS_PASSWORD_FILE, not both');
  }
  if (vars.API_KEYS !== undefined && vars.API_KEYS_FILE !== undefined) {
    problems.push('set API_KEYS or API_KEYS_FILE, not both');
  }
  if (vars.MAX_INFLIGHT_BODY_BYTES < vars.BODY_LIMIT_BYTES) {
    problems.push('MAX_INFLIGHT_BODY_BYTES must be at least BODY_LIMIT_BYTES');
  }
  if (vars.BODY_LIMIT_BYTES <= vars.MAX_VALUE_BYTES + vars.MAX_KEY_BYTES) {
    problems.push('BODY_LIMIT_BYTES must be larger than MAX_KEY_BYTES + MAX_VALUE_BYTES');
  }
  if (vars.REDIS_AUTH_MODE === 'iam' && (vars.REDIS_PASSWORD !== undefined || vars.REDIS_PASSWORD_FILE !== undefined)) {
    problems.push('REDIS_AUTH_MODE=iam takes its password from the metadata server: unset REDIS_PASSWORD and REDIS_PASSWORD_FILE');
  }
  if (vars.REDIS_MODE === 'cluster' && vars.REDIS_DB !== 0) {
    problems.push('REDIS_DB must be 0 in cluster mode (Redis Cluster has a single database)');
  }
  if (vars.SHUTDOWN_TIMEOUT_MS <= vars.HEALTH_CHECK_TIMEOUT_MS) {
    problems.push('SHUTDOWN_TIMEOUT_MS must be larger than HEALTH_CHECK_TIMEOUT_MS');
  }
  return problems;
}
