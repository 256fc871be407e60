import Fastify from 'fastify';
import { recordClientError, registerHttpMetrics } from '../../src/metrics/http-metrics.hooks';
import { MetricsService } from '../../src/metrics/metrics.service';

describe('HTTP metrics hooks', () => {
  it('labels by route template and counts unmatched routes apart', async () => {
    const metrics = new MetricsService();
    const fastify = Fastify();
    registerHttpMetrics(fastify, metrics);
    fastify.get('/items/:id', async () => 'ok');
    await fastify.inject({ method: 'GET', url: '/items/12345' });
    await fastify.inject({ method: 'GET', url: '/items/67890' });
    await fastify.inject({ method: 'GET', url: '/secret/path' });
    const text = await metrics.registry.metrics();
    expect(text).toContain('http_request_duration_seconds_count{method="GET",route="/items/:id",status_code="200"} 2');
    expect(text).toContain('http_request_duration_seconds_count{method="GET",route="__unmatched",status_code="404"} 1');
    expect(text).not.toMatch(/12345|secret/);
    expect(text).toMatch(/^http_requests_in_flight 0$/m);
    await fastify.close();
  });

  it('keeps 408s out of the route labels: their duration is the client stalling', async () => {
    const metrics = new MetricsService();
    const fastify = Fastify();
    registerHttpMetrics(fastify, metrics);
    fastify.post('/write', async (_request, reply) => reply.code(408).send({ error: 'late' }));
    await fastify.inject({ method: 'POST', url: '/write', payload: {} });
    const text = await metrics.registry.metrics();
    expect(text).toContain('http_request_duration_seconds_count{method="POST",route="__unmatched",status_code="408"} 1');
    expect(text).not.toContain('route="/write"');
    await fastify.close();
  });

  it('counts answers written before any request exists as UNKNOWN __unmatched, per server', async () => {
    const metrics = new MetricsService();
    const fastify = Fastify();
    registerHttpMetrics(fastify, metrics);
    recordClientError(fastify, 400);
    recordClientError(fastify, 400);
    recordClientError(fastify, 431);
    // Another server's errors are not this one's.
    recordClientError(Fastify(), 400);
    const text = await metrics.registry.metrics();
    expect(text).toContain('http_request_duration_seconds_count{method="UNKNOWN",route="__unmatched",status_code="400"} 2');
    expect(text).toContain('http_request_duration_seconds_count{method="UNKNOWN",route="__unmatched",status_code="431"} 1');
    await fastify.close();
  });

  it('reports the Redis connection state at scrape time', async () => {
    const metrics = new MetricsService();
    let connected = false;
    metrics.trackConnection(() => connected);
    expect(await metrics.registry.getSingleMetricAsString('redis_connected')).toMatch(/redis_connected 0$/);
    connected = true;
    expect(await metrics.registry.getSingleMetricAsString('redis_connected')).toMatch(/redis_connected 1$/);
  });
});
