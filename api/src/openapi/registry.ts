import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

export { OpenAPIRegistry };

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().describe('Stable machine-readable code, e.g. `validation_failed`, `not_found`'),
      message: z.string().describe('What went wrong, for people'),
      details: z.unknown().optional().describe('Structured context: offending fields, limits, current values'),
    }),
  })
  .meta({ id: 'Error' });

/** What each status means wherever it is answered; the body is always the shared error shape. */
const ERROR_DESCRIPTIONS = {
  400: 'The request is invalid (parameters, query or body); `details` names what',
  401: 'No valid credentials: sign in (session cookie) or send an API key as `Authorization: Bearer <key>`',
  403: 'Signed in, but the role is too low; the message and `details.neededRole` name the role needed',
  404: 'No such resource',
  409: 'The request conflicts with the current state of the resource',
  413: 'The body is larger than the limit; `details.limitBytes` says how large it may be',
  415: 'The body is not of a media type or encoding this operation accepts',
  429: 'Too many requests of this kind from this user, account or address; wait the `Retry-After` seconds',
  503: 'A service the API depends on (PostgreSQL or Temporal) is unavailable or busy; try again shortly (`Retry-After`, when sent)',
} as const;

const errorContent = { 'application/json': { schema: errorBodySchema } };

/** Shorthand for the uniform error responses, so each path lists only the statuses it can answer. */
export function errorResponses(...statuses: (keyof typeof ERROR_DESCRIPTIONS)[]) {
  return Object.fromEntries(
    statuses.map((status) => [status, { description: ERROR_DESCRIPTIONS[status], content: errorContent }]),
  );
}

/**
 * For public operations that read no input and so answer no client error today. Declared anyway,
 * as a range, so generated clients get one error type for every operation.
 */
export const clientErrorRange = {
  '4XX': {
    description: 'A client error, in the shared error shape; this operation reads no input, so none is expected today',
    content: errorContent,
  },
};

export function jsonContent<S extends z.ZodType>(schema: S) {
  return { content: { 'application/json': { schema } } };
}

export function buildOpenApiDocument(registry: OpenAPIRegistry, version: string) {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Catalog Importer API',
      version,
      description: 'Import product catalogs from CSV, manage products, and subscribe to catalog changes with webhooks.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/', description: 'The deployment serving this document' }],
    // Credentials are required per operation (see openapi/security.ts); an operation that does not
    // declare `security` needs none.
    security: [],
  });
}
