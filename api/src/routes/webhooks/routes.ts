import { randomUUID } from 'node:crypto';
import { createWebhookRepository, listMessages, recoverMessages } from '@catalog/db';
import { errors, roleAtLeast, SECRET_OVERLAP_MS, webhookSettings } from '@catalog/domain';
import { generateSecret, sendTestEvent } from '@catalog/webhooks';
import Router from '@koa/router';
import type { Context } from 'koa';
import { recordAudit } from '../../audit/record-audit';
import { actorOf } from '../../auth/actor';
import { requireRole } from '../../auth/require-role';
import type { AppDeps } from '../../deps';
import { parseInput } from '../../http/validate';
import { extendDeadline } from '../../limits/deadline';
import { auditEndpointChanges } from './audit';
import { checkDestination } from './destination';
import { presentDelivery, presentEndpoint, presentSecrets, storedEventTypes } from './presenter';
import {
  createWebhookBody,
  listDeliveriesQuery,
  listMessagesQuery,
  recoverWebhookBody,
  updateWebhookBody,
  webhookIdParams,
} from './schema';
import { endLane, resetLane, wakeLane } from './wake-lane';

export { documentWebhooks } from './openapi';

/** Time beyond the endpoint's own timeout to look it up, sign, and record the delivery. */
const TEST_SEND_MARGIN_MS = 5_000;

/** Webhook endpoints: CRUD, their signing secret, the Test button, recover and the delivery log. */
export function webhooksRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/webhooks' });
  const endpoints = createWebhookRepository(deps.db, deps.secrets);
  const settings = webhookSettings(deps.config);
  // Viewers see endpoints and their delivery log; everything that sends, signs or changes is the admins'.
  const viewer = requireRole('viewer');
  const admin = requireRole('admin');

  const requireEndpoint = async (id: string) => {
    const endpoint = await endpoints.find(id);
    if (!endpoint) throw errors.notFound('Webhook', id);
    return endpoint;
  };

  const seesSecrets = (ctx: Context) => roleAtLeast(actorOf(ctx)?.role ?? 'viewer', 'admin');

  router.get('/', viewer, async (ctx) => {
    const fullUrl = seesSecrets(ctx);
    ctx.body = { items: (await endpoints.list()).map((endpoint) => presentEndpoint(endpoint, fullUrl)) };
  });

  router.post('/', admin, async (ctx) => {
    const body = parseInput(createWebhookBody, ctx.request.body, 'body');
    await checkDestination(body.url, settings.allowPrivateNetworks);
    const endpoint = await endpoints.create({
      id: randomUUID(),
      name: body.name,
      url: body.url,
      eventTypes: storedEventTypes(body.events),
      enabled: body.enabled,
      secret: generateSecret(),
      ordered: body.ordered,
      rateLimitPerSecond: body.rateLimitPerSecond,
    });
    await recordAudit(deps.audit, ctx, {
      action: 'webhook.created',
      target: { type: 'webhook', id: endpoint.id },
      // The host, not the URL: a URL may carry a token in its query.
      details: { name: endpoint.name, host: new URL(endpoint.url).host, enabled: endpoint.enabled },
    });
    ctx.status = 201;
    ctx.set('Location', `/api/webhooks/${endpoint.id}`);
    ctx.body = presentEndpoint(endpoint);
  });

  router.get('/:id', viewer, async (ctx) => {
    const { id } = parseInput(webhookIdParams, ctx.params, 'params');
    ctx.body = presentEndpoint(await requireEndpoint(id), seesSecrets(ctx));
  });

  router.patch('/:id', admin, async (ctx) => {
    const { id } = parseInput(webhookIdParams, ctx.params, 'params');
    const body = parseInput(updateWebhookBody, ctx.request.body, 'body');
    if (body.url !== undefined) await checkDestination(body.url, settings.allowPrivateNetworks);
    const endpoint = await endpoints.update(id, {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.url !== undefined ? { url: body.url } : {}),
      ...(body.events !== undefined ? { eventTypes: storedEventTypes(body.events) } : {}),
      ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
      ...(body.ordered !== undefined ? { ordered: body.ordered } : {}),
      ...(body.rateLimitPerSecond !== undefined ? { rateLimitPerSecond: body.rateLimitPerSecond } : {}),
    });
    if (!endpoint) throw errors.notFound('Webhook', id);
    await auditEndpointChanges(deps, ctx, id, body);
    if (body.enabled) await resetLane(deps, id);
    ctx.body = presentEndpoint(endpoint);
  });

  router.delete('/:id', admin, async (ctx) => {
    const { id } = parseInput(webhookIdParams, ctx.params, 'params');
    if (!(await endpoints.remove(id))) throw errors.notFound('Webhook', id);
    await recordAudit(deps.audit, ctx, { action: 'webhook.deleted', target: { type: 'webhook', id } });
    await endLane(deps, id);
    ctx.status = 204;
  });

  // The one route that shows a stored secret in the clear (decrypted by the repository). The reveal
  // is recorded before the answer is written: a reveal the log could not record is not made.
  router.get('/:id/secret', admin, async (ctx) => {
    const { id } = parseInput(webhookIdParams, ctx.params, 'params');
    const secrets = await endpoints.readSecrets(id);
    if (!secrets) throw errors.notFound('Webhook', id);
    await recordAudit(deps.audit, ctx, { action: 'webhook.secret_revealed', target: { type: 'webhook', id } });
    ctx.set('Cache-Control', 'no-store');
    ctx.body = presentSecrets(secrets);
  });

  router.post('/:id/secret/rotate', admin, async (ctx) => {
    const { id } = parseInput(webhookIdParams, ctx.params, 'params');
    const secrets = await endpoints.rotateSecret(id, generateSecret(), SECRET_OVERLAP_MS);
    if (!secrets) throw errors.notFound('Webhook', id);
    await recordAudit(deps.audit, ctx, { action: 'webhook.secret_rotated', target: { type: 'webhook', id } });
    ctx.set('Cache-Control', 'no-store');
    ctx.body = presentSecrets(secrets);
  });

  router.post('/:id/test', admin, async (ctx) => {
    // The answer waits for the endpoint's, which may take WEBHOOK_TIMEOUT_MS: longer than the usual deadline.
    extendDeadline(ctx, deps.config.WEBHOOK_TIMEOUT_MS + TEST_SEND_MARGIN_MS);
    const { id } = parseInput(webhookIdParams, ctx.params, 'params');
    const endpoint = await requireEndpoint(id);
    const secrets = await endpoints.readSecrets(id);
    if (!secrets) throw errors.notFound('Webhook', id);
    const signing = secrets.previousSecret ? [secrets.secret, secrets.previousSecret] : [secrets.secret];
    ctx.body = await sendTestEvent(deps.db, { endpointId: id, url: endpoint.url, secrets: signing }, settings);
  });

  // Svix's "recover failed messages since": failed and held messages back to pending, sent by the lane.
  router.post('/:id/recover', admin, async (ctx) => {
    const { id } = parseInput(webhookIdParams, ctx.params, 'params');
    const { since } = parseInput(recoverWebhookBody, ctx.request.body, 'body');
    const endpoint = await requireEndpoint(id);
    if (!endpoint.enabled) throw errors.conflict('The webhook is disabled; enable it first, then recover');
    const recovered = await recoverMessages(deps.db.pool, id, since);
    await recordAudit(deps.audit, ctx, {
      action: 'webhook.recovered',
      target: { type: 'webhook', id },
      details: { since: since.toISOString(), recovered },
    });
    if (recovered > 0) await wakeLane(deps, endpoint);
    ctx.status = 202;
    ctx.body = { recovered };
  });

  router.get('/:id/messages', viewer, async (ctx) => {
    const { id } = parseInput(webhookIdParams, ctx.params, 'params');
    const query = parseInput(listMessagesQuery, ctx.query, 'query');
    await requireEndpoint(id);
    ctx.body = await listMessages(deps.db.pool, id, {
      limit: query.pageSize,
      ...(query.state ? { state: query.state } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
  });

  router.get('/:id/deliveries', viewer, async (ctx) => {
    const { id } = parseInput(webhookIdParams, ctx.params, 'params');
    const { page, pageSize } = parseInput(listDeliveriesQuery, ctx.query, 'query');
    await requireEndpoint(id);
    const { items, total } = await endpoints.listDeliveries(id, page, pageSize);
    ctx.body = { items: items.map(presentDelivery), page, pageSize, total };
  });

  return router;
}
