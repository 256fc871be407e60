import Fastify from 'fastify';
import { registerHttpMetrics } from '../../src/metrics/http-metrics.hooks';
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

  it('reports the Redis connection state at scrape time', async () => {
    const metrics = new MetricsService();
    let connected = false;
    metrics.trackConnection(() => connected);
    expect(await metrics.registry.getSingleMetricAsString('redis_connected')).toMatch(/redis_connected 0$/);
    connected = true;
    expect(await metrics.registry.getSingleMetricAsString('redis_connected')).toMatch(/redis_connected 1$/);
  });
});
