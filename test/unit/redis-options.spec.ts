import { Cluster, type Redis } from 'ioredis';
import { loadConfig } from '../../src/config/app-config';
import { classifyRedisError, isReadOnlyError } from '../../src/redis/redis-errors';
import { clusterOptions, reconnectDelay, standaloneOptions } from '../../src/redis/redis-options';

describe('reconnectDelay', () => {
  it('grows exponentially up to the cap', () => {
    const ceiling = (attempt: number) => reconnectDelay(attempt, 2000, () => 1);
    expect([1, 2, 3, 4, 5, 6].map(ceiling)).toEqual([100, 200, 400, 800, 1600, 2000]);
    expect(ceiling(1000)).toBe(2000);
  });

  it('applies full jitter', () => {
    expect(reconnectDelay(5, 2000, () => 0.25)).toBe(400);
    expect(reconnectDelay(5, 2000, () => 0)).toBe(1);
    const spread = new Set(Array.from({ length: 50 }, () => reconnectDelay(6, 2000)));
    expect(spread.size).toBeGreaterThan(10);
  });
});

describe('Redis error classification', () => {
  it.each([
    [new Error('Command timed out'), 'timeout'],
    [new Error("READONLY You can't write against a read only replica."), 'readonly'],
    [new Error("Stream isn't writeable and enableOfflineQueue options is false"), 'connection'],
    [new Error('connect ECONNREFUSED 127.0.0.1:6379'), 'connection'],
    [new Error("Socket timeout. Expecting data, but didn't receive any in 500ms."), 'connection'],
    [new Error('CLUSTERDOWN The cluster is down'), 'clusterdown'],
    [new Error("Cluster isn't ready and enableOfflineQueue options is false"), 'clusterdown'],
    [new Error('MOVED 3999 127.0.0.1:6381'), 'moved'],
    [new Error('ASK 3999 127.0.0.1:6381'), 'ask'],
    [new Error('TRYAGAIN Multiple keys request during rehashing of slot'), 'tryagain'],
    [new Error('LOADING Redis is loading the dataset in memory'), 'loading'],
    [new Error('MASTERDOWN Link with MASTER is down'), 'masterdown'],
    [new Error('NOAUTH Authentication required.'), 'auth'],
    [new Error('WRONGPASS invalid username-password pair'), 'auth'],
    [new Error("OOM command not allowed when used memory > 'maxmemory'."), 'oom'],
    [new Error('ERR invalid cursor'), 'input'],
    [new Error('ERR something else'), 'other'],
    [new Error('MOVEDX not a reply code'), 'other'],
    ['not an error', 'other'],
  ])('%s is %s', (error, reason) => {
    expect(classifyRedisError(error)).toBe(reason);
  });

  it('recognises READONLY replies for reconnection', () => {
    expect(isReadOnlyError(new Error('READONLY replica'))).toBe(true);
    expect(isReadOnlyError(new Error('ERR READONLY later in text'))).toBe(false);
  });
});

describe('ioredis options', () => {
  const config = loadConfig({ REDIS_PASSWORD: 'pw', REDIS_USERNAME: 'user', REDIS_TLS: 'true', REDIS_COMMAND_TIMEOUT_MS: '150' }).redis;

  it('fails fast while disconnected, bounds every command and never resends one', () => {
    const options = standaloneOptions(config);
    expect(options).toMatchObject({
      enableOfflineQueue: false,
      commandTimeout: 150,
      socketTimeout: 300,
      autoResendUnfulfilledCommands: false,
      username: 'user',
      password: 'pw',
      host: '127.0.0.1',
      port: 6379,
    });
    expect(options.tls).toBeDefined();
    expect(options.reconnectOnError!(new Error('READONLY'))).toBe(2);
    expect(options.reconnectOnError!(new Error('ERR other'))).toBe(false);
    expect(options.retryStrategy!(50)).toBeLessThanOrEqual(config.reconnectMaxDelayMs);
  });

  it('gives the connections a cluster really opens the same bounds, though ioredis forces their offline queue on', () => {
    const options = clusterOptions(config);
    expect(options.enableOfflineQueue).toBe(false);
    // What a node connection gets, from ioredis's own connection pool rather than from our options object.
    const cluster = new Cluster([{ host: '127.0.0.1', port: 1 }], { ...options, lazyConnect: true });
    const pool = (cluster as unknown as { connectionPool: { findOrCreate(node: object): Redis } }).connectionPool;
    const node = pool.findOrCreate({ host: '127.0.0.1', port: 1 });
    expect(node.options).toMatchObject({ commandTimeout: 150, socketTimeout: 300, autoResendUnfulfilledCommands: false, password: 'pw' });
    expect(node.options.enableOfflineQueue).toBe(true);
    cluster.disconnect();
    expect(options.clusterRetryStrategy!(3, new Error('x'))).toBeLessThanOrEqual(config.reconnectMaxDelayMs);
    const lookup = jest.fn();
    options.dnsLookup!('10.1.2.3', lookup);
    expect(lookup).toHaveBeenCalledWith(null, '10.1.2.3');
  });
});
