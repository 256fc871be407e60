import { HttpStatus } from '@nestjs/common';
import { FastifyInstance, FastifyServerOptions, LogController, type FastifyRequest } from 'fastify';
import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { maxHeaderSize, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { UNAUTHORISED_MESSAGE, type ApiKeys } from '../auth/api-keys';
import type { ApiKeyRouteConfig } from '../auth/requires-api-key.decorator';
import type { AppConfig } from '../config/app-config';
import { parseQueryString } from '../key-value/list-query';
import type { ShutdownState } from '../lifecycle/shutdown-state';
import type { RedisClient } from '../redis/redis-client';
import { recordClientError } from '../metrics/http-metrics.hooks';
import { ApiError } from './api-error';

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

/** Node sets the response in progress on its socket; internal, and stable since Node 0.x. */
type HttpSocket = Socket & { _httpMessage?: ServerResponse | null };
type ConnectionError = Error & { code?: string; reason?: string };

// The timer of a request whose body is on its way (decorated, so every request has the same shape).
const BODY_TIMER = Symbol('kv-api.bodyTimer');
type TimedRequest = FastifyRequest & { [BODY_TIMER]: NodeJS.Timeout | null };

/** Status and message of a connection-level error: bytes Node could not parse, or a request not received in time. */
export function describeClientError(error: ConnectionError): [number, string] {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return [431, `Request headers exceed the limit of ${maxHeaderSize} bytes`];
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return [413, 'Chunk extensions of the request body are too large'];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'Request not received in time'];
    default:
      return [400, error.reason ? `Malformed HTTP request: ${error.reason}` : 'Malformed HTTP request'];
  }
}

/** A complete HTTP/1.1 error response, for a socket on which Node has no response object. */
export function rawErrorResponse(status: number, message: string, requestId: string): string {
  const body = JSON.stringify({ error: message });
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
    // Every response carries one, as the README promises; there was no request to take it from.
    `X-Request-Id: ${requestId}\r\n` +
    'Content-Type: application/json; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: close\r\n\r\n' +
    body
  );
}

/**
 * Answers 408 for a request whose body has not fully arrived. While Fastify reads the body,
 * failing that read hands the error to Fastify (a payload stream's error with a statusCode is how
 * Fastify reports a body it could not get), which answers through the error filter with
 * Connection: close and counts it in the metrics hooks. When nobody reads the body any more or
 * the response has begun, there is nothing clean left to say: the connection is closed.
 */
function timeOutBody(req: IncomingMessage, res: ServerResponse, timeoutMs: number): void {
  if (req.complete || req.destroyed) return;
  if (!res.headersSent && req.listenerCount('error') > 0) {
    req.emit('error', Object.assign(new Error(`Request body not received within ${timeoutMs} ms`), { statusCode: 408 }));
  } else {
    req.socket.destroy();
  }
}

/**
 * Fastify's clientErrorHandler: Node's 'clientError' (a request line or headers it cannot parse,
 * headers too large, a request timeout) leaves no request object, so the answer is written to the
 * socket, as {"error": "..."} like every other error, and counted as method UNKNOWN, route
 * __unmatched. As in Node's default, nothing is written on a reset or unwritable connection, or
 * over a response already begun. Bound to the Fastify instance by Fastify.
 */
export function clientErrorHandler(this: FastifyInstance, error: ConnectionError, socket: Socket): void {
  const response = (socket as HttpSocket)._httpMessage;
  // Node's own timeout check found a request in progress: answered as our timer does, through
  // Fastify; if that request is complete, the late one is pipelined behind it: close.
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT' && response) {
    if (response.req.complete) socket.destroy();
    else timeOutBody(response.req, response, this.server.requestTimeout);
    return;
  }
  if (error.code === 'ECONNRESET' || !socket.writable || response?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, message] = describeClientError(error);
  const reqId = randomUUID();
  this.log.debug({ reqId, err: error.message, code: error.code, status }, 'client error');
  recordClientError(this, status);
  // Ends, then destroys once written: the request side may never be closed by the client.
  socket.end(rawErrorResponse(status, message, reqId), () => socket.destroy());
}

/** Fastify options of the public API server. */
export function apiServerOptions(config: AppConfig, logger: Logger): FastifyServerOptions {
  return {
    loggerInstance: withoutRequestChildren(logger),
    // Per-request lines at info would cost more than the request; errors are logged by the filter.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.limits.bodyLimitBytes,
    // Node applies it to headers that have not all arrived (from a check every 30 s, until the
    // server closes); bodies are timed per request by configureApiServer, which reads it back.
    requestTimeout: config.requestTimeoutMs,
    clientErrorHandler,
    // Fastify's querystring semantics, but a value that is not valid percent-encoded UTF-8 is refused.
    routerOptions: { querystringParser: parseQueryString },
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

/** True when the request announces no body: no Transfer-Encoding, no Content-Length or 0. */
function bodyless(headers: FastifyRequest['headers']): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] === undefined && (length === undefined || length === '0');
}

/** What the API server's hooks consult: drain state, Redis' capacity, API keys and body limits. */
export interface ApiServerParts {
  shutdown: ShutdownState;
  redis: Pick<RedisClient, 'shed'>;
  keys: Pick<ApiKeys, 'authorises'>;
  limits: Pick<AppConfig['limits'], 'bodyLimitBytes' | 'maxInflightBodyBytes'>;
}

/** Parsing, request ids, API keys, request timeouts, load shedding and drain behaviour of the public API. */
export function configureApiServer(fastify: FastifyInstance, { shutdown, redis, keys, limits }: ApiServerParts): void {
  let bodyBytes = 0;
  // REQUEST_TIMEOUT_MS, as apiServerOptions gave it to Fastify, which gave it to Node's server.
  const timeoutMs = fastify.server.requestTimeout;
  fastify.decorateRequest(BODY_TIMER, null);
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  // An empty JSON body means "no payload", as in the original API, instead of Fastify's 400.
  // As a buffer: a string body costs a StringDecoder per request (2% of POST /write CPU).
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    clearTimeout((request as TimedRequest)[BODY_TIMER] ?? undefined);
    // An unknown route is 404 whatever its body: never parsed, so never a 400 or 415 first.
    if (isBlank(body as Buffer) || request.is404) return done(null, undefined);
    // JSON.parse of a Buffer would turn bytes that are not UTF-8 into U+FFFD, silently.
    if (!isUtf8(body as Buffer)) return done(new ApiError(400, 'Request body is not valid UTF-8'), undefined);
    // Typed for strings; secure-json-parse decodes a Buffer itself, as Nest's own JSON parser relies on.
    parseJson(request, body as unknown as string, done);
  });
  // Any other type is refused, but an empty body of any type is still "no payload".
  fastify.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    clearTimeout((request as TimedRequest)[BODY_TIMER] ?? undefined);
    if (body === '' || request.is404) return done(null, undefined);
    const type = JSON.stringify(request.headers['content-type'] ?? '');
    done(Object.assign(new Error(`Unsupported media type ${type}: send application/json`), { statusCode: 415 }), undefined);
  });
  // Headers set before the handler stay on every reply, errors included; an onSend hook would
  // put each response through one more hook chain.
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    // While draining, ask keep-alive clients to reconnect, which lands them on another pod.
    if (shutdown.isDraining) reply.header('connection', 'close');
    // The key first: a caller without one gets nothing read, parsed or reserved for its body.
    if ((request.routeOptions.config as ApiKeyRouteConfig).apiKey && !keys.authorises(request.headers.authorization)) {
      reply.header('www-authenticate', 'Bearer');
      // Its body, if any, is never read: close rather than have Node read it to its end.
      if (!bodyless(request.headers)) reply.header('connection', 'close');
      return done(new ApiError(HttpStatus.UNAUTHORIZED, UNAUTHORISED_MESSAGE));
    }
    // GET / and other requests without a body stop here.
    if (bodyless(request.headers)) return done();
    // A write that Redis could not take now is refused before its body (up to 2 MiB) is read.
    const shed = request.routeOptions.url === '/write' ? redis.shed('set') : undefined;
    if (shed) return done(shed);
    // Bodies held at once are bounded by their announced size (a chunked one by the limit).
    const bytes = Math.min(Number(request.headers['content-length'] ?? limits.bodyLimitBytes) || limits.bodyLimitBytes, limits.bodyLimitBytes);
    if (bodyBytes + bytes > limits.maxInflightBodyBytes) {
      return done(new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'Too many request bodies in progress; retry later'));
    }
    bodyBytes += bytes;
    reply.raw.once('close', () => (bodyBytes -= bytes));
    const encoding = request.headers['content-encoding'];
    // No decompression here: a compressed body would be parsed as bytes it is not. Unknown routes stay 404.
    if (encoding !== undefined && encoding !== '' && encoding.toLowerCase() !== 'identity' && !request.is404) {
      // Closed after the answer, as Fastify does for a body it refuses: Node would otherwise read the unread body to its end.
      reply.header('connection', 'close');
      return done(new ApiError(415, `Content-Encoding ${JSON.stringify(encoding)} is not supported: send an identity-encoded body`));
    }
    // A timer per request with a body, cleared by the body parsers. Node's own requestTimeout
    // check runs every 30 s, skips bodies once headers are in (headersTimeout, 60 s, exceeds it)
    // and stops at server.close(): a graceful shutdown, which waits for requests in progress,
    // would wait on a stalled upload for ever. Unreferenced: one left over (a body refused
    // before it was read) never holds the process.
    if (timeoutMs > 0) {
      (request as TimedRequest)[BODY_TIMER] = setTimeout(timeOutBody, timeoutMs, request.raw, reply.raw, timeoutMs).unref();
    }
    done();
  });
}
