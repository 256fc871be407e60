import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import { MetricsService } from './metrics.service';

export const UNMATCHED_ROUTE = '__unmatched';
/** The method label of an answer to bytes that never became a request (malformed HTTP). */
export const UNKNOWN_METHOD = 'UNKNOWN';

const REQUEST_TIMEOUT = 408;

// The metrics of each API server, for the answers written before any request exists (clientError).
const serverMetrics = new WeakMap<FastifyInstance, MetricsService>();

const STREAM_FAILED = Symbol('kv-api.streamFailed');
type MarkedResponse = ServerResponse & { [STREAM_FAILED]?: boolean };

/**
 * Marks a response whose streamed body failed after its headers were sent: the connection is
 * cut, Fastify's onResponse never runs, and the request is counted as the 500 it really is.
 */
export function markStreamFailed(response: ServerResponse): void {
  (response as MarkedResponse)[STREAM_FAILED] = true;
}

/** Records every API request, including those rejected before reaching a controller (415, 413, 404). */
export function registerHttpMetrics(fastify: FastifyInstance, metrics: MetricsService): void {
  serverMetrics.set(fastify, metrics);
  fastify.addHook('onRequest', (request, reply, done) => {
    metrics.httpInFlight.inc();
    // 'close' fires for completed and aborted requests alike, so the gauge cannot leak.
    reply.raw.once('close', () => {
      metrics.httpInFlight.dec();
      if ((reply.raw as MarkedResponse)[STREAM_FAILED]) {
        const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
        metrics.httpDuration.observe({ method: request.method, route, status_code: '500' }, reply.elapsedTime / 1000);
      }
    });
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    // The route template, never the raw URL, keeps label cardinality bounded. A 408 lasts as long
    // as the client stalled, not as long as we worked: kept out of the SLOs like unknown routes.
    const unmatched = request.is404 || reply.statusCode === REQUEST_TIMEOUT;
    const route = unmatched ? UNMATCHED_ROUTE : (request.routeOptions.url ?? UNMATCHED_ROUTE);
    metrics.httpDuration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
}

/**
 * Counts an answer written straight to the socket by the clientError handler (malformed request
 * line or headers, headers too large): no request, so no method, route or duration.
 */
export function recordClientError(fastify: FastifyInstance, statusCode: number): void {
  serverMetrics.get(fastify)?.httpDuration.observe(
    { method: UNKNOWN_METHOD, route: UNMATCHED_ROUTE, status_code: String(statusCode) },
    0,
  );
}
