/** The API contract for consumers, served at GET /openapi.json. Kept in step with the routes by test/unit/openapi.spec.ts. */
const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});
const unavailable = {
  description: 'Redis is unavailable, slow or failing over, or the service is at its caps; retry after the Retry-After delay',
  headers: { 'Retry-After': { schema: { type: 'integer' } } },
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};
const unauthorized = error('API keys are configured and the bearer token is missing or wrong');
const internal = error('An unexpected failure (Redis out of memory, an unexpected reply); logged with the request id');

export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'kv-api',
    version: '1.0.0',
    description: 'Key/value store over Redis. Every error is JSON {"error": "..."}.',
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Required only when API keys are configured' } },
    schemas: {
      Error: { type: 'object', required: ['error'], properties: { error: { type: 'string' } } },
      Pair: {
        type: 'object',
        required: ['message', 'key', 'value'],
        properties: { message: { type: 'string', const: 'Key-Value pair added' }, key: { type: 'string' }, value: { type: 'string' } },
      },
    },
  },
  paths: {
    '/': {
      get: {
        summary: 'Writes test_key = "Hello Redis!" and returns it',
        responses: {
          '200': { description: 'The value read back', content: { 'text/plain': { schema: { type: 'string', example: 'Hello Redis!' } } } },
          '500': internal,
          '503': unavailable,
        },
      },
    },
    '/write': {
      post: {
        summary: 'Writes a pair; with no payload (empty body or JSON null) writes a random 8-character pair',
        security: [{ bearer: [] }, {}],
        requestBody: {
          required: false,
          content: {
            'application/json': {
              schema: {
                type: ['object', 'null'],
                properties: { key: { type: 'string', minLength: 1, maxLength: 1024 }, value: { type: 'string', minLength: 1 } },
              },
            },
          },
        },
        responses: {
          '200': { description: 'Written', content: { 'application/json': { schema: { $ref: '#/components/schemas/Pair' } } } },
          '400': error('Malformed JSON or HTTP, not an object, key or value missing, empty, not a string, not valid UTF-8 or holding a lone surrogate'),
          '401': unauthorized,
          '408': error('The body did not arrive within the request timeout'),
          '413': error('Key, value or body over its limit'),
          '415': error('Content-Type is not application/json, or Content-Encoding is not identity'),
          '500': internal,
          '503': unavailable,
        },
      },
    },
    '/delete': {
      delete: {
        summary: 'Deletes a key',
        security: [{ bearer: [] }, {}],
        parameters: [{ name: 'key', in: 'query', required: true, schema: { type: 'string', minLength: 1 } }],
        responses: {
          '200': {
            description: 'Deleted',
            content: { 'application/json': { schema: { type: 'object', properties: { message: { type: 'string', example: 'Key k deleted' } } } } },
          },
          '400': error('No key parameter, or one that is not valid percent-encoded UTF-8'),
          '401': unauthorized,
          '404': error('Key not found'),
          '500': internal,
          '503': unavailable,
        },
      },
    },
    '/list': {
      get: {
        summary: 'Every pair as one JSON object (streamed), or one page of pairs when cursor or count is given',
        description:
          'Iterates with SCAN, never KEYS. Complete or failed: every key present for the whole listing is in it, or the ' +
          'answer is a 503 before the first byte or an aborted stream. Keys holding non-string types, and keys deleted ' +
          'meanwhile, are left out. Pages follow SCAN semantics: a key present for the whole iteration is returned at ' +
          'least once, across a cluster failover too; start with cursor "0" and stop when "0" comes back. count is ' +
          "SCAN's hint: a page may hold more or fewer pairs, even none. Cursors are opaque.",
        security: [{ bearer: [] }, {}],
        parameters: [
          { name: 'cursor', in: 'query', required: false, schema: { type: 'string', default: '0' } },
          { name: 'count', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
        ],
        responses: {
          '200': {
            description: 'All pairs (no parameters) or a page {data, cursor}',
            content: {
              'application/json': {
                schema: {
                  oneOf: [
                    { type: 'object', additionalProperties: { type: 'string' } },
                    {
                      type: 'object',
                      required: ['data', 'cursor'],
                      properties: { data: { type: 'object', additionalProperties: { type: 'string' } }, cursor: { type: 'string' } },
                    },
                  ],
                },
              },
            },
          },
          '400': error('Bad cursor or count'),
          '401': unauthorized,
          '500': internal,
          '503': unavailable,
        },
      },
    },
    '/openapi.json': {
      get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1 document' } } },
    },
  },
} as const;
