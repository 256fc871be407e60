import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error';
import { ApiKeys } from './api-keys';

// RFC 6750 credentials: the scheme in any case, exactly one space, one token without whitespace.
// Nothing else: "Bearer k1 k2" is not "a key and some noise".
const BEARER = /^bearer (\S+)$/i;

/** Requires "Authorization: Bearer <key>" when API keys are configured. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly keys: ApiKeys) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.keys.enabled) return true;
    const http = context.switchToHttp();
    const header = http.getRequest<FastifyRequest>().headers.authorization ?? '';
    const token = BEARER.exec(header)?.[1];
    if (token !== undefined && this.keys.accepts(token)) return true;
    http.getResponse<FastifyReply>().header('WWW-Authenticate', 'Bearer');
    throw new ApiError(HttpStatus.UNAUTHORIZED, 'Missing or invalid API key: send "Authorization: Bearer <key>"');
  }
}
