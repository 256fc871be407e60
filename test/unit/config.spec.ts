import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/app-config';
import { ConfigError } from '../../src/config/environment';

// Set, yet only blank lines: no key.
const blankKeysFile = join(mkdtempSync(join(tmpdir(), 'kv-keys-')), 'keys');
writeFileSync(blankKeysFile, '\n  \n\t\n');

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('has production defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.managementPort).toBe(9464);
    expect(config.redis).toMatchObject({ mode: 'standalone', nodes: [{ host: '127.0.0.1', port: 6379 }], db: 0, tls: undefined });
    expect(config.redis.commandTimeoutMs).toBeLessThan(1000);
    expect(config.limits).toMatchObject({ maxKeyBytes: 1024, maxValueBytes: 1048576, bodyLimitBytes: 2097152 });
    expect(config.shutdown).toEqual({ drainDelayMs: 5000, timeoutMs: 20000 });
  });

  it("keeps the original app's REDIS_HOST, REDIS_PORT and REDIS_PASSWORD", () => {
    const config = loadConfig({ REDIS_HOST: 'redis.internal', REDIS_PORT: '6380', REDIS_PASSWORD: 's3cret' });
    expect(config.redis.nodes).toEqual([{ host: 'redis.internal', port: 6380 }]);
    expect(config.redis.password).toBe('s3cret');
  });

  it('reads cluster seeds, TLS CA and password from files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kv-config-'));
    writeFileSync(join(dir, 'ca.pem'), 'CA PEM\n');
    writeFileSync(join(dir, 'password'), 'from-file\n');
    const config = loadConfig({
      REDIS_MODE: 'cluster',
      REDIS_CLUSTER_NODES: '10.0.0.1:6379, 10.0.0.2:6379',
      REDIS_TLS_CA_FILE: join(dir, 'ca.pem'),
      REDIS_PASSWORD_FILE: join(dir, 'password'),
    });
    expect(config.redis.nodes).toEqual([{ host: '10.0.0.1', port: 6379 }, { host: '10.0.0.2', port: 6379 }]);
    expect(config.redis.tls?.ca?.toString()).toBe('CA PEM');
    expect(config.redis.password).toBe('from-file');
  });

  it.each([
    [{ PORT: '0' }, 'PORT must not be less than 1'],
    [{ PORT: '8080.5' }, 'PORT must be an integer number'],
    [{ MANAGEMENT_PORT: 'x' }, 'MANAGEMENT_PORT must be an integer number'],
    [{ REDIS_MODE: 'sentinel' }, 'REDIS_MODE must be one of the following values: standalone, cluster'],
    [{ REDIS_CLUSTER_NODES: 'host-without-port' }, 'REDIS_CLUSTER_NODES must be a comma-separated list of host:port'],
    [{ REDIS_TLS: 'sometimes' }, 'REDIS_TLS must be a boolean value'],
    [{ REDIS_COMMAND_TIMEOUT_MS: '5' }, 'REDIS_COMMAND_TIMEOUT_MS must not be less than 10'],
    [{ MAX_VALUE_BYTES: '-1' }, 'MAX_VALUE_BYTES must not be less than 1'],
    [{ LOG_LEVEL: 'chatty' }, 'LOG_LEVEL must be one of the following values'],
    [{ PORT: '7000', MANAGEMENT_PORT: '7000' }, 'MANAGEMENT_PORT must differ from PORT'],
    [{ REDIS_PASSWORD: 'a', REDIS_PASSWORD_FILE: '/p' }, 'set REDIS_PASSWORD or REDIS_PASSWORD_FILE, not both'],
    [{ API_KEYS: 'a', API_KEYS_FILE: '/k' }, 'set API_KEYS or API_KEYS_FILE, not both'],
    [{ MAX_VALUE_BYTES: '4096', BODY_LIMIT_BYTES: '4096' }, 'BODY_LIMIT_BYTES must be larger than MAX_KEY_BYTES + MAX_VALUE_BYTES'],
    [{ REDIS_MODE: 'cluster', REDIS_DB: '2' }, 'REDIS_DB must be 0 in cluster mode'],
    [{ REDIS_AUTH_MODE: 'iam', REDIS_PASSWORD: 'pw' }, 'REDIS_AUTH_MODE=iam takes its password from the metadata server'],
    [{ REDIS_AUTH_MODE: 'token' }, 'REDIS_AUTH_MODE must be one of the following values: password, iam'],
    [{ API_KEYS_FILE: '/nonexistent/keys' }, 'API_KEYS_FILE: cannot read /nonexistent/keys'],
    [{ API_KEYS: ' , ' }, 'API_KEYS is set but holds no key'],
    [{ API_KEYS: ',,' }, 'API_KEYS is set but holds no key'],
    [{ API_KEYS: '   ' }, 'API_KEYS is set but holds no key'],
    [{ API_KEYS_FILE: blankKeysFile }, `API_KEYS_FILE: ${blankKeysFile} holds no key`],
  ])('rejects %j naming the variable', (env, message) => {
    expect(problems(env).join('\n')).toContain(message);
  });

  it('reports every problem at once', () => {
    expect(problems({ PORT: 'a', REDIS_PORT: 'b', REDIS_MODE: 'c' })).toHaveLength(3);
  });

  it('reads API keys from API_KEYS and API_KEYS_FILE, trimmed, blanks dropped', () => {
    expect(loadConfig({ API_KEYS: ' first , ,second,' }).auth.keys).toEqual(['first', 'second']);
    const file = join(mkdtempSync(join(tmpdir(), 'kv-keys-')), 'keys');
    writeFileSync(file, '\n first \r\n\nsecond\n');
    expect(loadConfig({ API_KEYS_FILE: file }).auth).toEqual({ keys: undefined, keysFile: file });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', API_KEYS: '' }).port).toBe(8080);
  });
});
