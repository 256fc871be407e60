import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Inject } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { LOGGER } from '../logging/logging.module';
import { RedisCommandError } from '../redis/redis-errors';
import { ApiError } from './api-error';

interface StatusError {
  statusCode?: number;
  message: string;
}

/** Every error leaves as {"error": "..."}: never an HTML page, never a stack trace. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const [status, message] = this.describe(exception, request);
    // Every 503 is "come back soon": a sick Redis, the in-flight cap, the listing cap.
    if (status === HttpStatus.SERVICE_UNAVAILABLE) reply.header('Retry-After', String(this.config.retryAfterSeconds));
    if (exception instanceof RedisCommandError && status !== HttpStatus.INTERNAL_SERVER_ERROR) {
      // Counted in redis_command_errors_total; one line per failed request would flood the logs in an outage.
      this.logger.debug({ reqId: request.id, command: exception.command, reason: exception.reason }, 'redis command failed');
    } else if (status >= 500) {
      this.logger.error({ reqId: request.id, err: exception }, 'unhandled error');
    }
    void reply.status(status).type('application/json; charset=utf-8').send({ error: message });
  }

  private describe(exception: unknown, request: FastifyRequest): [number, string] {
    if (exception instanceof RedisCommandError) {
      switch (exception.status) {
        case HttpStatus.SERVICE_UNAVAILABLE:
          return [exception.status, exception.reason === 'overload' ? 'Too much Redis work in flight; retry later' : 'Redis is unavailable; retry later'];
        case HttpStatus.BAD_REQUEST:
          return [exception.status, 'Redis rejected the request as invalid'];
        default:
          return [HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error'];
      }
    }
    if (exception instanceof ApiError) {
      return [exception.getStatus(), (exception.getResponse() as { error: string }).error];
    }
    if (exception instanceof HttpException) {
      // Nest turns Fastify's own errors (parsing, limits, routing) into HttpExceptions: reword them.
      const status = exception.getStatus();
      switch (status) {
        case HttpStatus.NOT_FOUND:
          return [status, `No route for ${request.method} ${request.url.split('?')[0]}`];
        case HttpStatus.PAYLOAD_TOO_LARGE:
          return [status, `Request body exceeds the limit of ${this.config.limits.bodyLimitBytes} bytes`];
        case HttpStatus.UNSUPPORTED_MEDIA_TYPE:
          return [status, `Unsupported media type ${JSON.stringify(request.headers['content-type'] ?? '')}: send application/json`];
        case HttpStatus.BAD_REQUEST:
          return [status, exception.message.includes('JSON') ? 'Malformed JSON body' : exception.message];
        default:
          return [status, exception.message];
      }
    }
    const error = exception as StatusError;
    if (error?.statusCode && error.statusCode >= 400 && error.statusCode < 500) return [error.statusCode, error.message];
    return [HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error'];
  }
}
