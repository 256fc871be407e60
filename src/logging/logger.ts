import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

// Cloud Logging reads `severity` and `message` from JSON lines on stdout.
const SEVERITY: Record<string, string> = {
  trace: 'DEBUG',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARNING',
  error: 'ERROR',
  fatal: 'CRITICAL',
};

/** JSON logger writing asynchronously to stdout, so logging never blocks a request. */
export function createLogger(level: string, destination = pino.destination({ sync: false })): Logger {
  return pino(
    {
      level,
      messageKey: 'message',
      base: { service: 'kv-api' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ severity: SEVERITY[label] ?? 'DEFAULT', level: label }) },
    },
    destination,
  );
}

/** Routes NestJS' own log lines into the same JSON stream. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  // Nest's "log" level is start-up chatter (mapped routes, modules): debug for us.
  log(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
