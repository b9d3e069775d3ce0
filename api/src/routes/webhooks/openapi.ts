import {
  webhookDeliverySchema,
  webhookEndpointSchema,
  webhookMessageLogSchema,
  webhookSecretSchema,
  webhookTestResultSchema,
} from '@catalog/domain';
import { z } from 'zod';
import { errorResponses, jsonContent, type OpenAPIRegistry } from '../../openapi/registry';
import { requiresRole } from '../../openapi/security';
import {
  createWebhookBody,
  listDeliveriesQuery,
  listMessagesQuery,
  recoverWebhookBody,
  updateWebhookBody,
  webhookIdParams,
} from './schema';

export function documentWebhooks(registry: OpenAPIRegistry): void {
  const params = webhookIdParams;
  const endpoint = { description: 'The webhook endpoint', ...jsonContent(webhookEndpointSchema) };
  const secret = { description: 'Signing secrets (Standard Webhooks, `whsec_…`)', ...jsonContent(webhookSecretSchema) };
  const json = <S extends z.ZodType>(schema: S) => ({ body: { content: { 'application/json': { schema } } } });
  const tags = ['Webhooks'];
  registry.registerPath({
    method: 'get',
    path: '/api/webhooks',
    operationId: 'listWebhooks',
    tags,
    summary: 'Every webhook endpoint, with its status and last delivery',
    ...requiresRole('viewer', 'Never a signing secret: revealing one needs the admin role.'),
    responses: {
      200: { description: 'Endpoints', ...jsonContent(z.object({ items: z.array(webhookEndpointSchema) })) },
      ...errorResponses(401, 403),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/webhooks',
    operationId: 'createWebhook',
    tags,
    summary: 'Add an endpoint; the server generates its signing secret',
    ...requiresRole(
      'admin',
      'The URL must be http(s). Unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true, a host that resolves to a loopback, ' +
        'private, link-local or metadata address is refused. `events` is "all" or a list of event types. ' +
        '`rateLimitPerSecond` (1–10000, null: none) caps messages a second; `ordered` delivers one message at a ' +
        'time in event order, later ones waiting while one is retried.',
    ),
    request: json(createWebhookBody),
    responses: { 201: endpoint, ...errorResponses(400, 401, 403) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/webhooks/{id}',
    operationId: 'getWebhook',
    tags,
    summary: 'One endpoint',
    ...requiresRole('viewer', 'Never its signing secret.'),
    request: { params },
    responses: { 200: endpoint, ...errorResponses(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: 'patch',
    path: '/api/webhooks/{id}',
    operationId: 'updateWebhook',
    tags,
    summary:
      'Change name, URL, events, enabled, rate limit or ordered; enabling again clears an automatic disable and ' +
      'closes the circuit breaker; disabling holds pending messages (see recover)',
    ...requiresRole('admin'),
    request: { params, ...json(updateWebhookBody) },
    responses: { 200: endpoint, ...errorResponses(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: 'delete',
    path: '/api/webhooks/{id}',
    operationId: 'deleteWebhook',
    tags,
    summary: 'Delete an endpoint and its delivery log',
    ...requiresRole('admin'),
    request: { params },
    responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/webhooks/{id}/secret',
    operationId: 'getWebhookSecret',
    tags,
    summary: 'Reveal the signing secret (and the previous one while it still signs)',
    ...requiresRole(
      'admin',
      'Secrets are stored encrypted (AES-256-GCM under `SECRETS_KEY`); this is the one operation that returns them decrypted. Answered with `Cache-Control: no-store`.',
    ),
    request: { params },
    responses: { 200: secret, ...errorResponses(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/webhooks/{id}/secret/rotate',
    operationId: 'rotateWebhookSecret',
    tags,
    summary: 'Rotate the signing secret; the old one keeps signing next to the new one for 24 hours',
    ...requiresRole('admin'),
    request: { params },
    responses: { 200: secret, ...errorResponses(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/webhooks/{id}/test',
    operationId: 'testWebhook',
    tags,
    summary: 'Send a signed `webhook.test` event now and report how the receiver answered',
    ...requiresRole(
      'admin',
      'Answers within WEBHOOK_TIMEOUT_MS. `ok` is true for a 2xx; otherwise `error` says what happened.',
    ),
    request: { params },
    responses: {
      200: { description: 'The outcome', ...jsonContent(webhookTestResultSchema) },
      ...errorResponses(400, 401, 403, 404),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/webhooks/{id}/recover',
    operationId: 'recoverWebhookMessages',
    tags,
    summary: 'Send again every failed or held message created since a time',
    ...requiresRole(
      'admin',
      'Each message goes back to pending with a fresh retry schedule and is sent by the endpoint lane, under ' +
        'its own webhook-id. `since` is an ISO 8601 date-time, not in the future. 409 while the endpoint is ' +
        'disabled: enable it first.',
    ),
    request: { params, ...json(recoverWebhookBody) },
    responses: {
      202: {
        description: 'How many messages were set pending',
        ...jsonContent(z.object({ recovered: z.number().int() })),
      },
      ...errorResponses(400, 401, 403, 404, 409),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/webhooks/{id}/messages',
    operationId: 'listWebhookMessages',
    tags,
    summary:
      'The messages of an endpoint, newest first: one per event, with its state (pending, delivered, failed, held)',
    ...requiresRole('viewer'),
    request: { params, query: listMessagesQuery },
    responses: {
      200: {
        description: 'A page of messages; pass `nextCursor` as `cursor` for the next one (null: the last page)',
        ...jsonContent(z.object({ items: z.array(webhookMessageLogSchema), nextCursor: z.string().nullable() })),
      },
      ...errorResponses(400, 401, 403, 404),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/webhooks/{id}/deliveries',
    operationId: 'listWebhookDeliveries',
    tags,
    summary: 'The delivery log, newest first: one entry per HTTP attempt',
    ...requiresRole('viewer'),
    request: { params, query: listDeliveriesQuery },
    responses: {
      200: {
        description: 'A page of attempts',
        ...jsonContent(
          z.object({
            items: z.array(webhookDeliverySchema),
            page: z.number(),
            pageSize: z.number(),
            total: z.number(),
          }),
        ),
      },
      ...errorResponses(400, 401, 403, 404),
    },
  });
}
