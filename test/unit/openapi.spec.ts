import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { KeyValueController } from '../../src/key-value/key-value.controller';
import { OpenApiController } from '../../src/openapi/openapi.controller';
import { OPENAPI_DOCUMENT } from '../../src/openapi/openapi.document';

function routes(controller: object): string[] {
  const prototype = (controller as { prototype: Record<string, unknown> }).prototype;
  const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
  return Object.getOwnPropertyNames(prototype)
    .filter((name) => Reflect.hasMetadata(METHOD_METADATA, prototype[name] as object))
    .map((name) => {
      const handler = prototype[name] as object;
      const path = [base, Reflect.getMetadata(PATH_METADATA, handler) as string].filter((p) => p && p !== '/').join('/');
      return `${RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number].toLowerCase()} /${path}`;
    });
}

describe('OpenAPI document', () => {
  it('documents exactly the public routes', () => {
    const documented = Object.entries(OPENAPI_DOCUMENT.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method} ${path}`),
    );
    const served = [...routes(KeyValueController), ...routes(OpenApiController)];
    expect(documented.sort()).toEqual(served.sort());
  });

  it('documents 503 with Retry-After on every route that touches Redis', () => {
    for (const path of ['/', '/write', '/delete', '/list'] as const) {
      const operation = Object.values(OPENAPI_DOCUMENT.paths[path])[0] as { responses: Record<string, { headers?: object }> };
      expect(operation.responses['503'].headers).toHaveProperty('Retry-After');
    }
  });
});
