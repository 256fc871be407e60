import { FastifyInstance, FastifyServerOptions, LogController } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import type { ShutdownState } from '../lifecycle/shutdown-state';

const REQUEST_ID = /^[\w.:-]{1,128}$/;
// JSON's insignificant whitespace: space, tab, line feed, carriage return.
const JSON_WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** True for an empty body or one of whitespace only; stops at the first other byte. */
export function isBlank(body: Buffer): boolean {
  for (const byte of body) if (!JSON_WHITESPACE.has(byte)) return false;
  return true;
}

/**
 * The root logger, except that its children are itself. Fastify makes a child logger per
 * request: pino's costs a bindings serialisation, and a custom childLoggerFactory is
 * re-validated on every request (1-2% of POST /write CPU). With request logging off, the few
 * request-scoped lines (HttpErrorFilter) carry reqId themselves.
 */
export function withoutRequestChildren(logger: Logger): Logger {
  // pino's own child loggers are made the same way: an object whose prototype is the parent.
  const shared = Object.create(logger) as Logger;
  return Object.assign(shared, { child: () => shared });
}

/** Fastify options of the public API server. */
export function apiServerOptions(config: AppConfig, logger: Logger): FastifyServerOptions {
  return {
    loggerInstance: withoutRequestChildren(logger),
    // Per-request lines at info would cost more than the request; errors are logged by the filter.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.limits.bodyLimitBytes,
    // Honour a caller's X-Request-Id when it is sane, else mint one.
    requestIdHeader: false,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // In-flight and keep-alive requests arriving while the server closes are still served.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    keepAliveTimeout: 65_000,
  };
}

/** Parsing, request ids and drain behaviour of the public API. */
export function configureApiServer(fastify: FastifyInstance, shutdown: ShutdownState): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  // An empty JSON body means "no payload", as in the original API, instead of Fastify's 400.
  // As a buffer: a string body costs a StringDecoder per request (2% of POST /write CPU).
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    if (isBlank(body as Buffer)) return done(null, undefined);
    // Typed for strings; secure-json-parse decodes a Buffer itself, as Nest's own JSON parser relies on.
    parseJson(request, body as unknown as string, done);
  });
  // Any other type is refused, but an empty body of any type is still "no payload".
  fastify.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') return done(null, undefined);
    const type = JSON.stringify(request.headers['content-type'] ?? '');
    done(Object.assign(new Error(`Unsupported media type ${type}: send application/json`), { statusCode: 415 }), undefined);
  });
  // Headers set before the handler stay on every reply, errors included; an onSend hook would
  // put each response through one more hook chain.
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    // While draining, ask keep-alive clients to reconnect, which lands them on another pod.
    if (shutdown.isDraining) reply.header('connection', 'close');
    done();
  });
}
