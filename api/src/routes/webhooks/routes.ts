import { randomUUID } from 'node:crypto';
import Router from '@koa/router';
import { generateSecret, sendTestEvent } from '@catalog/activities';
import { createWebhookRepository } from '@catalog/db';
import {
  errors,
  SECRET_OVERLAP_MS,
  webhookDeliverySchema,
  webhookEndpointSchema,
  webhookSecretSchema,
  webhookSettings,
  webhookTestResultSchema,
} from '@catalog/domain';
import { z } from 'zod';
import type { AppDeps } from '../../deps';
import { parseInput } from '../../http/validate';
import { errorResponses, jsonContent, type OpenAPIRegistry } from '../../openapi/registry';
import { checkDestination } from './destination';
import { presentDelivery, presentEndpoint, presentSecrets, storedEventTypes } from './presenter';
import { createWebhookBody, listDeliveriesQuery, updateWebhookBody, webhookIdParams } from './schema';

/** Webhook endpoints: CRUD, their signing secret, the Test button and the delivery log. */
export function webhooksRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/webhooks' });
  const endpoints = createWebhookRepository(deps.db);
  const settings = webhookSettings(deps.config);

  const requireEndpoint = async (id: string) => {
    const endpoint = await endpoints.find(id);
    if (!endpoint) throw errors.notFound('Webhook', id);
    return endpoint;
  };

  router.get('/', async (ctx) => {
    ctx.body = { items: (await endpoints.list()).map(presentEndpoint) };
  });

  router.post('/', async (ctx) => {
    const body = parseInput(createWebhookBody, ctx.request.body, 'body');
    await checkDestination(body.url, settings.allowPrivateNetworks);
    const endpoint = await endpoints.create({
      id: randomUUID(),
      name: body.name,
      url: body.url,
      eventTypes: storedEventTypes(body.events),
      enabled: body.enabled,
      secret: generateSecret(),
    });
    ctx.status = 201;
    ctx.set('Location', `/api/webhooks/${endpoint.id}`);
    ctx.body = presentEndpoint(endpoint);
  });

  router.get('/:id', async (ctx) => {
    const { id } = parseInput(webhookIdParams, ctx.params, 'params');
    ctx.body = presentEndpoint(await requireEndpoint(id));
  });

  router.patch('/:id', async (ctx) => {
    const { id } = parseInput(webhookIdParams, ctx.params, 'params');
    const body = parseInput(updateWebhookBody, ctx.request.body, 'body');
    if (body.url !== undefined) await checkDestination(body.url, settings.allowPrivateNetworks);
    const endpoint = await endpoints.update(id, {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.url !== undefined ? { url: body.url } : {}),
      ...(body.events !== undefined ? { eventTypes: storedEventTypes(body.events) } : {}),
      ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
    });
    if (!endpoint) throw errors.notFound('Webhook', id);
    ctx.body = presentEndpoint(endpoint);
  });

  router.delete('/:id', async (ctx) => {
    const { id } = parseInput(webhookIdParams, ctx.params, 'params');
    if (!(await endpoints.remove(id))) throw errors.notFound('Webhook', id);
    ctx.status = 204;
  });

  router.get('/:id/secret', async (ctx) => {
    const { id } = parseInput(webhookIdParams, ctx.params, 'params');
    const secrets = await endpoints.readSecrets(id);
    if (!secrets) throw errors.notFound('Webhook', id);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = presentSecrets(secrets);
  });

  router.post('/:id/secret/rotate', async (ctx) => {
    const { id } = parseInput(webhookIdParams, ctx.params, 'params');
    const secrets = await endpoints.rotateSecret(id, generateSecret(), SECRET_OVERLAP_MS);
    if (!secrets) throw errors.notFound('Webhook', id);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = presentSecrets(secrets);
  });

  router.post('/:id/test', async (ctx) => {
    const { id } = parseInput(webhookIdParams, ctx.params, 'params');
    const endpoint = await requireEndpoint(id);
    const secrets = await endpoints.readSecrets(id);
    if (!secrets) throw errors.notFound('Webhook', id);
    const signing = secrets.previousSecret ? [secrets.secret, secrets.previousSecret] : [secrets.secret];
    ctx.body = await sendTestEvent(deps.db, { endpointId: id, url: endpoint.url, secrets: signing }, settings);
  });

  router.get('/:id/deliveries', async (ctx) => {
    const { id } = parseInput(webhookIdParams, ctx.params, 'params');
    const { page, pageSize } = parseInput(listDeliveriesQuery, ctx.query, 'query');
    await requireEndpoint(id);
    const { items, total } = await endpoints.listDeliveries(id, page, pageSize);
    ctx.body = { items: items.map(presentDelivery), page, pageSize, total };
  });

  return router;
}

export function documentWebhooks(registry: OpenAPIRegistry): void {
  const params = webhookIdParams;
  const endpoint = { description: 'The webhook endpoint', ...jsonContent(webhookEndpointSchema) };
  const secret = { description: 'Signing secrets (Standard Webhooks, `whsec_…`)', ...jsonContent(webhookSecretSchema) };
  const json = <S extends z.ZodType>(schema: S) => ({ body: { content: { 'application/json': { schema } } } });
  const tags = ['Webhooks'];
  registry.registerPath({
    method: 'get',
    path: '/api/webhooks',
    tags,
    summary: 'Every webhook endpoint, with its status and last delivery',
    responses: { 200: { description: 'Endpoints', ...jsonContent(z.object({ items: z.array(webhookEndpointSchema) })) } },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/webhooks',
    tags,
    summary: 'Add an endpoint; the server generates its signing secret',
    description:
      'The URL must be http(s). Unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true, a host that resolves to a loopback, ' +
      'private, link-local or metadata address is refused. `events` is "all" or a list of event types.',
    request: json(createWebhookBody),
    responses: { 201: endpoint, ...errorResponses(400) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/webhooks/{id}',
    tags,
    summary: 'One endpoint',
    request: { params },
    responses: { 200: endpoint, ...errorResponses(400, 404) },
  });
  registry.registerPath({
    method: 'patch',
    path: '/api/webhooks/{id}',
    tags,
    summary: 'Change name, URL, events or enabled; enabling again clears an automatic disable',
    request: { params, ...json(updateWebhookBody) },
    responses: { 200: endpoint, ...errorResponses(400, 404) },
  });
  registry.registerPath({
    method: 'delete',
    path: '/api/webhooks/{id}',
    tags,
    summary: 'Delete an endpoint and its delivery log',
    request: { params },
    responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/webhooks/{id}/secret',
    tags,
    summary: 'Reveal the signing secret (and the previous one while it still signs)',
    request: { params },
    responses: { 200: secret, ...errorResponses(400, 404) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/webhooks/{id}/secret/rotate',
    tags,
    summary: 'Rotate the signing secret; the old one keeps signing next to the new one for 24 hours',
    request: { params },
    responses: { 200: secret, ...errorResponses(400, 404) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/webhooks/{id}/test',
    tags,
    summary: 'Send a signed `webhook.test` event now and report how the receiver answered',
    description: 'Answers within WEBHOOK_TIMEOUT_MS. `ok` is true for a 2xx; otherwise `error` says what happened.',
    request: { params },
    responses: { 200: { description: 'The outcome', ...jsonContent(webhookTestResultSchema) }, ...errorResponses(400, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/webhooks/{id}/deliveries',
    tags,
    summary: 'The delivery log, newest first: one entry per HTTP attempt',
    request: { params, query: listDeliveriesQuery },
    responses: {
      200: {
        description: 'A page of attempts',
        ...jsonContent(
          z.object({ items: z.array(webhookDeliverySchema), page: z.number(), pageSize: z.number(), total: z.number() }),
        ),
      },
      ...errorResponses(400, 404),
    },
  });
}
