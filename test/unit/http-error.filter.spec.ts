import { ArgumentsHost, BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { loadConfig } from '../../src/config/app-config';
import { ApiError } from '../../src/http/api-error';
import { HttpErrorFilter } from '../../src/http/http-error.filter';
import { createLogger } from '../../src/logging/logger';
import { RedisUnavailableError } from '../../src/redis/redis-errors';

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
    const sent = run(new RedisUnavailableError('get', 'timeout', new Error('Command timed out')));
    expect(sent).toMatchObject({ status: 503, headers: { 'Retry-After': '2' }, body: { error: 'Redis is unavailable; retry later' } });
    expect(sent.type).toMatch(/^application\/json/);
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
