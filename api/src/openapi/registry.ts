import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

export { OpenAPIRegistry };

export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/** Shorthand for the uniform error responses, so each path lists only the statuses it can answer. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: `Error (${status})`, content: { 'application/json': { schema: errorBodySchema } } },
    ]),
  );
}

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
    },
    servers: [{ url: '/' }],
  });
}
