import { z } from 'zod';
import type { ApiRoute } from './ApiRoute.js';
import { errorSchema } from './schemas.js';

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

function parameters(schema: z.ZodType | undefined, location: 'path' | 'query') {
  if (!schema) return [];
  const json = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}

const errorResponses = {
  '400': 'Invalid input (malformed JSON, wrong types, unknown fields)',
  '401': 'Missing, invalid, expired or revoked credentials',
  '403': 'Authenticated but not permitted',
  '404': 'Not found, or not visible to the caller',
  '409': 'Not allowed in the current state',
  '413': 'Body too large',
  '429': 'Rate limited',
};

/**
 * The OpenAPI 3.1 document, generated from the same route table and zod schemas that validate
 * requests, so every route is documented and the document cannot drift from the code.
 */
export function openApiDocument(routes: readonly ApiRoute[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    const operation: Record<string, unknown> = {
      operationId: `${route.method.toLowerCase()}${path.replace(/[^A-Za-z0-9]+(\w)?/g, (_m, c?: string) => (c ? c.toUpperCase() : ''))}`,
      summary: route.summary,
      tags: [route.tag],
      ...(route.auth === 'public' ? { security: [] } : {}),
      ...(route.auth !== 'public' && route.auth !== 'authenticated' ? { 'x-permission': route.auth } : {}),
      parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
            },
          }
        : {}),
      responses: {
        [String(route.successStatus ?? 200)]: {
          description: 'Success',
          content: {
            [route.produces ?? 'application/json']: {
              schema: route.response ? jsonSchema(route.response, 'output') : {},
            },
          },
        },
        ...Object.fromEntries(
          Object.entries(errorResponses).map(([status, description]) => [
            status,
            {
              description,
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            },
          ]),
        ),
      },
    };
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'PacsKit archive workflow API',
      version: '1.0.0',
      description:
        'Orders, reports, annotations, access grants, share links, audit and analytics (see docs/workflow-api.md).',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { basic: [] }, { apiKey: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        basic: { type: 'http', scheme: 'basic' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        shareToken: { type: 'apiKey', in: 'header', name: 'X-Share-Token' },
      },
      schemas: { Error: jsonSchema(errorSchema, 'output') },
    },
  };
}
