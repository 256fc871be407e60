import { RouteConfig } from '@nestjs/platform-fastify';

/** Fastify route config of the routes that need an API key; read by the API server's onRequest hook. */
export interface ApiKeyRouteConfig {
  apiKey?: boolean;
}

/**
 * The route needs "Authorization: Bearer <key>". Checked in onRequest (configureApiServer), not
 * by a Nest guard: a guard runs after the body is read, so a caller without a key could make the
 * service read, hold and parse bodies, and take the in-flight body budget from callers with one.
 */
export const RequiresApiKey = (): MethodDecorator => RouteConfig({ apiKey: true } satisfies ApiKeyRouteConfig);
