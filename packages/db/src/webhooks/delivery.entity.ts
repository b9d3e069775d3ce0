import { defineEntity, p } from '@mikro-orm/core';

/** One HTTP attempt to deliver one event to one endpoint (each retry is a row of its own). */
export const WebhookDeliverySchema = defineEntity({
  name: 'WebhookDelivery',
  tableName: 'webhook_deliveries',
  properties: {
    id: p.uuid().primary(),
    seq: p.bigint('number').autoincrement().persist(false),
    endpointId: p.uuid().fieldName('endpoint_id'),
    eventId: p.uuid().fieldName('event_id'),
    eventType: p.string().fieldName('event_type'),
    attempt: p.integer(),
    redelivery: p.boolean().default(false),
    ok: p.boolean(),
    statusCode: p.integer().fieldName('status_code').nullable(),
    latencyMs: p.integer().fieldName('latency_ms'),
    responseSnippet: p.text().fieldName('response_snippet').nullable(),
    error: p.text().nullable(),
    createdAt: p
      .datetime()
      .fieldName('created_at')
      .onCreate(() => new Date()),
  },
});

export type WebhookDeliveryEntity = InstanceType<typeof WebhookDeliverySchema.class>;
