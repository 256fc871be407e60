import { appPerSuite } from '../support/app';

describe('management port: health and metrics (real redis-server)', () => {
  const suite = appPerSuite();

  it('reports live, started and ready', async () => {
    await suite.t.management().get('/health/live').expect(200);
    await suite.t.management().get('/health/startup').expect(200);
    const ready = await suite.t.management().get('/health/ready').expect(200);
    expect(ready.body.details.redis).toEqual({ status: 'up', mode: 'standalone' });
  });

  it('does not serve the API', async () => {
    await suite.t.management().post('/write').send({ key: 'a', value: 'b' }).expect(404);
  });

  it('exports request metrics by route template, never by raw path', async () => {
    await suite.t.api().delete('/delete?key=some-unique-key-123').expect(404);
    await suite.t.api().get('/no/such/route/xyz').expect(404);
    await suite.t.api().get('/').expect(200);
    const res = await suite.t.management().get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/http_request_duration_seconds_count\{method="DELETE",route="\/delete",status_code="404"\} 1/);
    expect(res.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="__unmatched",status_code="404"\} 1/);
    expect(res.text).toMatch(/http_request_duration_seconds_bucket\{le="0.1",method="GET",route="\/",status_code="200"\}/);
    expect(res.text).not.toContain('some-unique-key-123');
    expect(res.text).not.toContain('/no/such/route');
  });

  it('exports Redis client and process metrics', async () => {
    await suite.t.api().get('/').expect(200);
    const res = await suite.t.management().get('/metrics').expect(200);
    expect(res.text).toMatch(/^redis_connected 1$/m);
    expect(res.text).toMatch(/redis_command_duration_seconds_count\{command="set"\} \d+/);
    // GET / sends SET and GET: each command under its own label.
    expect(res.text).toMatch(/redis_command_duration_seconds_count\{command="get"\} \d+/);
    expect(res.text).toMatch(/^http_requests_in_flight 0$/m);
    expect(res.text).toContain('process_cpu_seconds_total');
    expect(res.text).toContain('nodejs_eventloop_lag_p99_seconds');
  });
});
