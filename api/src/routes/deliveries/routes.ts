import { randomUUID } from 'node:crypto';
import { createWebhookRepository, readStoredEvent } from '@catalog/db';
import { errors, webhookTaskQueue, workflowTypes } from '@catalog/domain';
import type { WebhookDeliveryInput } from '@catalog/workflows';
import Router from '@koa/router';
import { z } from 'zod';
import { requireRole } from '../../auth/require-role';
import type { AppDeps } from '../../deps';
import { parseInput } from '../../http/validate';
import { errorResponses, jsonContent, type OpenAPIRegistry } from '../../openapi/registry';
import { requiresRole } from '../../openapi/security';

const deliveryIdParams = z.object({ id: z.uuid({ message: 'must be a delivery id (UUID)' }) });
const redeliveryAccepted = z.object({ workflowId: z.string(), eventId: z.string(), endpointId: z.string() });

/** `POST /api/deliveries/:id/redeliver`: the same event to the same endpoint, under the same `webhook-id`. */
export function deliveriesRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/deliveries' });
  const endpoints = createWebhookRepository(deps.db, deps.secrets);

  router.post('/:id/redeliver', requireRole('admin'), async (ctx) => {
    const { id } = parseInput(deliveryIdParams, ctx.params, 'params');
    const delivery = await endpoints.findDelivery(id);
    if (!delivery) throw errors.notFound('Delivery', id);
    const endpoint = await endpoints.find(delivery.endpointId);
    if (!endpoint) throw errors.notFound('Webhook', delivery.endpointId);
    if (!endpoint.enabled) throw errors.conflict('The webhook is disabled; enable it before redelivering');
    if (!(await readStoredEvent(deps.db.pool, delivery.eventId))) {
      throw errors.conflict('Only catalog events can be redelivered; press Test to send another test event');
    }
    const input: WebhookDeliveryInput = { eventId: delivery.eventId, endpointId: endpoint.id, redelivery: true };
    // Each press is a new delivery of its own (a new workflow), carrying the event's own webhook-id.
    const workflowId = `redelivery-${delivery.eventId}-${endpoint.id}-${randomUUID()}`;
    try {
      await deps.temporal.client.workflow.start(workflowTypes.webhookDelivery, {
        workflowId,
        taskQueue: webhookTaskQueue(deps.temporal.taskQueue),
        args: [input],
      });
    } catch (error: unknown) {
      deps.logger.error({ err: error, deliveryId: id }, 'could not start a redelivery');
      throw errors.unavailable('The job service (Temporal) is unavailable; try again shortly.');
    }
    ctx.status = 202;
    ctx.body = { workflowId, eventId: delivery.eventId, endpointId: endpoint.id };
  });

  return router;
}

export function documentDeliveries(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'post',
    path: '/api/deliveries/{id}/redeliver',
    operationId: 'redeliverWebhookDelivery',
    tags: ['Webhooks'],
    summary: 'Send a logged delivery again (same event, same endpoint, same webhook-id), with retries',
    ...requiresRole('admin'),
    request: { params: deliveryIdParams },
    responses: {
      202: {
        description: 'Redelivery started; its attempts appear in the delivery log',
        ...jsonContent(redeliveryAccepted),
      },
      ...errorResponses(400, 401, 403, 404, 409, 503),
    },
  });
}
