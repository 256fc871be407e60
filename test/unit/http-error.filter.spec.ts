import { ArgumentsHost, BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { loadConfig } from '../../src/config/app-config';
import { ApiError } from '../../src/http/api-error';
import { HttpErrorFilter } from '../../src/http/http-error.filter';
import { createLogger } from '../../src/logging/logger';
import { RedisCommandError } from '../../src/redis/redis-errors';

function run(exception: unknown) {
  const sent: { status?: number; headers: Record<string, string>; body?: unknown; type?: string } = { headers: {} };
  const reply = {
    header: (k: string, v: string) => ((sent.headers[k] = v), reply),
    status: (s: number) => ((sent.status = s), reply),
    type: (t: string) => ((sent.type = t), reply),
    send: (b: unknown) => ((sent.body = b), reply),
  };
  const request = { id: 'r1', method: 'GET', url: '/missing?x=1', headers: { 'content-type': 'text/csv' } };
  const host = { switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }) } as unknown as ArgumentsHost;
  const logger = createLogger('silent');
  const error = jest.spyOn(logger, 'error');
  new HttpErrorFilter(loadConfig({ RETRY_AFTER_SECONDS: '2' }), logger).catch(exception, host);
  return { ...sent, logged: error.mock.calls.length };
}

describe('HttpErrorFilter', () => {
  it('answers a Redis failure with 503 and Retry-After', () => {
    const sent = run(new RedisCommandError('get', 'timeout', new Error('Command timed out')));
    expect(sent).toMatchObject({ status: 503, headers: { 'Retry-After': '2' }, body: { error: 'Redis is unavailable; retry later' } });
    expect(sent.type).toMatch(/^application\/json/);
  });

  it.each([
    ['overload', 503, 'Too much Redis work in flight; retry later', 0],
    ['clusterdown', 503, 'Redis is unavailable; retry later', 0],
    ['input', 400, 'Redis rejected the request as invalid', 0],
    ['oom', 500, 'Internal server error', 1],
    ['other', 500, 'Internal server error', 1],
  ] as const)('maps a Redis failure of reason %s to %i, logging only the 500s', (reason, status, message, logged) => {
    const sent = run(new RedisCommandError('set', reason, new Error('x')));
    expect(sent).toMatchObject({ status, body: { error: message }, logged });
    expect('Retry-After' in sent.headers).toBe(status === 503);
  });

  it('gives every 503 a Retry-After', () => {
    expect(run(new ApiError(503, 'Too many listings in progress; retry later')).headers).toEqual({ 'Retry-After': '2' });
  });

  it('passes API errors through', () => {
    expect(run(new ApiError(404, 'Key k not found'))).toMatchObject({ status: 404, body: { error: 'Key k not found' } });
  });

  it.each([
    [new NotFoundException(), 404, 'No route for GET /missing'],
    [new HttpException('too big', 413), 413, 'Request body exceeds the limit of 2097152 bytes'],
    [new HttpException('bad type', 415), 415, 'Unsupported media type "text/csv": send application/json'],
    [new BadRequestException("Body is not valid JSON but content-type is set to 'application/json'"), 400, 'Malformed JSON body'],
    [Object.assign(new Error('Unsupported media type x'), { statusCode: 415 }), 415, 'Unsupported media type x'],
  ])('rewords %p', (exception, status, message) => {
    expect(run(exception)).toMatchObject({ status, body: { error: message } });
  });

  it('hides unexpected errors behind a 500 and logs them', () => {
    const sent = run(new TypeError('secret internals at /src/x.ts:1'));
    expect(sent).toMatchObject({ status: 500, body: { error: 'Internal server error' }, logged: 1 });
  });
});
