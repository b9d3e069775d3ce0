import { apiKeySchema, createdApiKeySchema } from '@catalog/domain';
import { z } from 'zod';
import { errorResponses, jsonContent, type OpenAPIRegistry } from '../../openapi/registry';
import { requiresRole } from '../../openapi/security';
import { apiKeyIdParams, createApiKeyBody } from './schema';

export function documentApiKeys(registry: OpenAPIRegistry): void {
  const tags = ['Access'];
  registry.registerPath({
    method: 'get',
    path: '/api/api-keys',
    operationId: 'listApiKeys',
    tags,
    summary: 'Every API key, revoked ones included; never a key’s secret',
    ...requiresRole('admin'),
    responses: {
      200: { description: 'API keys', ...jsonContent(z.object({ items: z.array(apiKeySchema) })) },
      ...errorResponses(401, 403),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/api-keys',
    operationId: 'createApiKey',
    tags,
    summary: 'Make an API key; the answer holds the whole key, shown this once',
    ...requiresRole('admin', 'Send the key as `Authorization: Bearer <key>`; it acts with the role given here.'),
    request: { body: { content: { 'application/json': { schema: createApiKeyBody } } } },
    responses: {
      201: { description: 'The new key', ...jsonContent(createdApiKeySchema) },
      ...errorResponses(400, 401, 403),
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/api/api-keys/{id}',
    operationId: 'revokeApiKey',
    tags,
    summary: 'Revoke an API key: it stops working at once and stays listed',
    ...requiresRole('admin'),
    request: { params: apiKeyIdParams },
    responses: { 204: { description: 'Revoked' }, ...errorResponses(400, 401, 403, 404) },
  });
}
