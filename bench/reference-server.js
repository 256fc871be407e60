'use strict';
// The ceiling the service is measured against: plain node:http, no framework,
// issuing the same Redis commands per route as the service, through the same
// ioredis options (imported from the build, so they cannot drift apart).
const http = require('node:http');
const { createRedis, page } = require('./redis');

const port = Number(process.env.PORT);
const apiKey = process.env.API_KEYS ?? '';
const redis = createRedis();

function send(res, status, body, type = 'application/json; charset=utf-8') {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
const fail = (res, status, message) => send(res, status, JSON.stringify({ error: message }));

function authorised(req, res) {
  // Same contract as the service's guard, reduced to one comparison.
  if (!apiKey || req.headers.authorization === `Bearer ${apiKey}`) return true;
  fail(res, 401, 'Missing or invalid API key');
  return false;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

const routes = {
  'GET /': async (req, res) => {
    const [, value] = await Promise.all([redis.set('test_key', 'Hello Redis!'), redis.get('test_key')]);
    send(res, 200, value ?? '', 'text/plain; charset=utf-8');
  },
  'POST /write': async (req, res) => {
    if (!authorised(req, res)) return;
    let parsed;
    try {
      parsed = JSON.parse(await readBody(req));
    } catch {
      return fail(res, 400, 'Malformed JSON body');
    }
    const { key, value } = parsed ?? {};
    if (typeof key !== 'string' || !key || typeof value !== 'string' || !value) {
      return fail(res, 400, 'Both "key" and "value" are required');
    }
    await redis.set(key, value);
    send(res, 200, JSON.stringify({ message: 'Key-Value pair added', key, value }));
  },
  'DELETE /delete': async (req, res, query) => {
    if (!authorised(req, res)) return;
    const key = query.get('key');
    if (!key) return fail(res, 400, 'Key parameter is required');
    if ((await redis.del(key)) !== 1) return fail(res, 404, `Key ${key} not found`);
    send(res, 200, JSON.stringify({ message: `Key ${key} deleted` }));
  },
  'GET /list': async (req, res, query) => {
    if (!authorised(req, res)) return;
    send(res, 200, JSON.stringify(await page(redis, query.get('cursor') ?? '0', Number(query.get('count') ?? 100))));
  },
  'GET /ready': async (req, res) => {
    await redis.ping();
    send(res, 200, 'ok', 'text/plain');
  },
};

const server = http.createServer((req, res) => {
  const at = req.url.indexOf('?');
  const path = at === -1 ? req.url : req.url.slice(0, at);
  const route = routes[`${req.method} ${path}`];
  if (!route) return fail(res, 404, 'No route');
  route(req, res, new URLSearchParams(at === -1 ? '' : req.url.slice(at + 1))).catch(() => {
    if (!res.headersSent) fail(res, 503, 'Redis is unavailable; retry later');
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1');

const stop = () => server.close(() => redis.quit().finally(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
