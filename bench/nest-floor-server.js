'use strict';
// The framework floor: a bare NestJS 11 application on the Fastify adapter with
// one controller issuing the same Redis commands as the service, and nothing
// else (no validation, guard, metrics, hooks or logging). The service can get
// no closer to the reference than this; the gap between the two is the
// service's own cost. Plain JavaScript, so the benchmark needs no extra build.
require('reflect-metadata');
const { Body, Controller, Delete, Get, Header, HttpCode, HttpException, Module, Post, Query } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { FastifyAdapter } = require('@nestjs/platform-fastify');
const { createRedis, page } = require('./redis');

const redis = createRedis();

class FloorController {
  async hello() {
    // SET and GET in one round trip, as the service sends them: awaiting each in turn would
    // charge the floor a second round trip and event-loop turn the service does not pay.
    const [, value] = await Promise.all([redis.set('test_key', 'Hello Redis!'), redis.get('test_key')]);
    return value ?? '';
  }
  async write(body) {
    await redis.set(body.key, body.value);
    return { message: 'Key-Value pair added', key: body.key, value: body.value };
  }
  async remove(key) {
    if ((await redis.del(key)) !== 1) throw new HttpException({ error: `Key ${key} not found` }, 404);
    return { message: `Key ${key} deleted` };
  }
  list(cursor = '0', count = '100') {
    return page(redis, cursor, Number(count));
  }
  async ready() {
    return redis.ping();
  }
}

// Decorators applied as functions: what TypeScript would emit for @Get(), @Body() and friends.
const method = (name) => Object.getOwnPropertyDescriptor(FloorController.prototype, name);
const decorate = (name, ...decorators) => {
  for (const d of decorators) d(FloorController.prototype, name, method(name));
};
Controller()(FloorController);
decorate('hello', Get(), Header('Content-Type', 'text/plain; charset=utf-8'));
decorate('write', Post('write'), HttpCode(200));
Body()(FloorController.prototype, 'write', 0);
decorate('remove', Delete('delete'));
Query('key')(FloorController.prototype, 'remove', 0);
decorate('list', Get('list'));
Query('cursor')(FloorController.prototype, 'list', 0);
Query('count')(FloorController.prototype, 'list', 1);
decorate('ready', Get('ready'));

class FloorModule {}
Module({ controllers: [FloorController] })(FloorModule);

async function main() {
  // Bare: no middie (no Nest middleware is registered), and Fastify's own JSON parser rather
  // than Nest's wrapper around it, which looks the parser up again for every request.
  const app = await NestFactory.create(FloorModule, new FastifyAdapter({ skipMiddie: true }), { logger: false, bodyParser: false });
  app.getHttpAdapter().getInstance().server.keepAliveTimeout = 65_000;
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  const stop = () => app.close().then(() => redis.quit()).finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
void main();
