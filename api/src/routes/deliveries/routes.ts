import { createWebhookRepository, readStoredEvent, requeueMessage } from '@catalog/db';
import { errors, laneWorkflowId } from '@catalog/domain';
import Router from '@koa/router';
import { z } from 'zod';
import { recordAudit } from '../../audit/record-audit';
import { requireRole } from '../../auth/require-role';
import type { AppDeps } from '../../deps';
import { parseInput } from '../../http/validate';
import { errorResponses, jsonContent, type OpenAPIRegistry } from '../../openapi/registry';
import { requiresRole } from '../../openapi/security';
import { wakeLane } from '../webhooks/wake-lane';

const deliveryIdParams = z.object({ id: z.uuid({ message: 'must be a delivery id (UUID)' }) });
const redeliveryAccepted = z.object({ workflowId: z.string(), eventId: z.string(), endpointId: z.string() });

/**
 * `POST /api/deliveries/:id/redeliver`: the logged attempt's message back to pending (created if it
 * predates messages), sent again by the endpoint's lane under the same `webhook-id`, with retries.
 */
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
    const message = { endpointId: endpoint.id, eventId: delivery.eventId, eventType: delivery.eventType };
    // The event was there a moment ago; retention may have pruned it since.
    if (!(await requeueMessage(deps.db.pool, message))) {
      throw errors.conflict('The event is no longer stored (past the retention period); it cannot be redelivered');
    }
    await recordAudit(deps.audit, ctx, {
      action: 'webhook.redelivered',
      target: { type: 'webhook', id: endpoint.id },
      details: { eventId: delivery.eventId },
    });
    await wakeLane(deps, endpoint);
    ctx.status = 202;
    ctx.body = { workflowId: laneWorkflowId(endpoint.id), eventId: delivery.eventId, endpointId: endpoint.id };
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
    ...requiresRole(
      'admin',
      "The message goes back to pending with a fresh retry schedule; the endpoint's lane (`workflowId`) sends it.",
    ),
    request: { params: deliveryIdParams },
    responses: {
      202: {
        description: 'Redelivery queued; its attempts appear in the delivery log',
        ...jsonContent(redeliveryAccepted),
      },
      ...errorResponses(400, 401, 403, 404, 409),
    },
  });
}
