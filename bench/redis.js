'use strict';
// The Redis client of the benchmark's comparison servers: the service's own
// configuration parser and ioredis options, imported from the build, fed the
// same REDIS_* environment as the service, so that they cannot drift apart.
const { Cluster, Redis } = require('ioredis');
const { loadConfig } = require('../dist/config/app-config');
const { clusterOptions, standaloneOptions } = require('../dist/redis/redis-options');

const { redis: config } = loadConfig(process.env);

exports.cluster = config.mode === 'cluster';
exports.createRedis = () =>
  exports.cluster ? new Cluster(config.nodes, clusterOptions(config)) : new Redis(standaloneOptions(config));

/** One page of keys and values: SCAN on one primary, values by GET (a cluster's keys span slots). */
exports.page = async (redis, cursor, count) => {
  const node = exports.cluster ? redis.nodes('master')[0] : redis;
  const [next, keys] = await node.scan(cursor, 'COUNT', count);
  const data = {};
  if (keys.length === 0) return { data, cursor: next };
  const values = exports.cluster ? await Promise.all(keys.map((key) => redis.get(key))) : await redis.mget(keys);
  values.forEach((value, i) => value !== null && (data[keys[i]] = value));
  return { data, cursor: next };
};
