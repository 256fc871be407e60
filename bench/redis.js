'use strict';
// The Redis client of the benchmark's comparison servers: the service's own
// ioredis options, imported from the build so that they cannot drift apart.
const { Redis } = require('ioredis');
const { standaloneOptions } = require('../dist/redis/redis-options');

exports.createRedis = () =>
  new Redis(
    standaloneOptions({
      mode: 'standalone',
      nodes: [{ host: process.env.REDIS_HOST ?? '127.0.0.1', port: Number(process.env.REDIS_PORT ?? 6379) }],
      db: 0,
      commandTimeoutMs: 250,
      connectTimeoutMs: 2000,
      reconnectMaxDelayMs: 2000,
    }),
  );
