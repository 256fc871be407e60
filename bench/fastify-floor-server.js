'use strict';
// The Fastify floor: the same routes on bare Fastify 5 (the service's HTTP layer),
// with Fastify's own JSON body parser and nothing else. Between it and the
// reference lies Fastify's cost; between it and the NestJS floor, Nest's.
const { fastify } = require('fastify');
const { createRedis } = require('./redis');

const redis = createRedis();
const app = fastify({ keepAliveTimeout: 65_000 });

app.get('/', async (request, reply) => {
  const [, value] = await Promise.all([redis.set('test_key', 'Hello Redis!'), redis.get('test_key')]);
  reply.type('text/plain; charset=utf-8');
  return value ?? '';
});
app.post('/write', async (request) => {
  const { key, value } = request.body;
  await redis.set(key, value);
  return { message: 'Key-Value pair added', key, value };
});
app.get('/ready', async () => redis.ping());

app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
const stop = () => app.close().then(() => redis.quit()).finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
