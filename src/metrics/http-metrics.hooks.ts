import type { FastifyInstance } from 'fastify';
import { MetricsService } from './metrics.service';

export const UNMATCHED_ROUTE = '__unmatched';

/** Records every API request, including those rejected before reaching a controller (415, 413, 404). */
export function registerHttpMetrics(fastify: FastifyInstance, metrics: MetricsService): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    metrics.httpInFlight.inc();
    // 'close' fires for completed and aborted requests alike, so the gauge cannot leak.
    reply.raw.once('close', () => metrics.httpInFlight.dec());
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    // The route template, never the raw URL, keeps label cardinality bounded.
    const route = request.is404 ? UNMATCHED_ROUTE : (request.routeOptions.url ?? UNMATCHED_ROUTE);
    metrics.httpDuration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
