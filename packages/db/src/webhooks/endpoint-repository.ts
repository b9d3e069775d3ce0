import type { CatalogEventType } from '@catalog/domain';
import type { Database } from '../orm';
import type { SecretBox } from '../secrets/secret-box';
import { type WebhookDeliveryEntity, WebhookDeliverySchema } from './delivery.entity';
import { type WebhookEndpointEntity, WebhookEndpointSchema } from './endpoint.entity';
import { openEndpointSecret, sealEndpointSecret } from './endpoint-secrets';
import { holdPendingMessages } from './message-store';

export type NewWebhookEndpoint = {
  id: string;
  name: string;
  url: string;
  eventTypes: CatalogEventType[] | null;
  enabled: boolean;
  secret: string;
  ordered: boolean;
  rateLimitPerSecond: number | null;
};

export type WebhookEndpointChanges = Partial<
  Pick<NewWebhookEndpoint, 'name' | 'url' | 'eventTypes' | 'enabled' | 'ordered' | 'rateLimitPerSecond'>
>;

/** Signing secrets in the clear: only ever in memory, sealed by the repository before they are stored. */
export type WebhookSecrets = { secret: string; previousSecret: string | null; previousSecretExpiresAt: Date | null };

/**
 * The webhook endpoint aggregate (endpoints and their delivery log), through a forked entity manager
 * per call. Secrets go in and come out in the clear; the table holds them sealed by `box`.
 */
export function createWebhookRepository(db: Database, box: SecretBox) {
  const em = () => db.orm.em.fork();
  return {
    list(): Promise<WebhookEndpointEntity[]> {
      return em().find(WebhookEndpointSchema, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
    },

    find(id: string): Promise<WebhookEndpointEntity | null> {
      return em().findOne(WebhookEndpointSchema, { id });
    },

    async create(endpoint: NewWebhookEndpoint): Promise<WebhookEndpointEntity> {
      const fork = em();
      const entity = fork.create(WebhookEndpointSchema, {
        ...endpoint,
        secret: sealEndpointSecret(box, endpoint.id, endpoint.secret),
        createdAt: new Date(),
        updatedAt: new Date(),
      });
      await fork.flush();
      return entity;
    },

    /**
     * Enabling, by a person, also ends the failure streak that may have disabled the endpoint and
     * closes its breaker. Disabling holds its pending messages (recover sends them once it is enabled).
     */
    async update(id: string, changes: WebhookEndpointChanges): Promise<WebhookEndpointEntity | null> {
      const fork = em();
      const entity = await fork.findOne(WebhookEndpointSchema, { id });
      if (!entity) return null;
      fork.assign(entity, changes);
      if (changes.enabled !== undefined) {
        entity.disabledReason = null;
        if (changes.enabled) {
          entity.failingSince = null;
          entity.consecutiveFailures = 0;
          entity.circuitState = 'closed';
          entity.circuitOpenedAt = null;
          entity.circuitNextProbeAt = null;
        }
      }
      await fork.flush();
      if (changes.enabled === false) await holdPendingMessages(db.pool, id);
      return entity;
    },

    async remove(id: string): Promise<boolean> {
      return (await em().nativeDelete(WebhookEndpointSchema, { id })) > 0;
    },

    async readSecrets(id: string): Promise<WebhookSecrets | null> {
      const entity = await em().findOne(WebhookEndpointSchema, { id }, { populate: ['secret', 'previousSecret'] });
      return entity ? secretsOf(box, entity) : null;
    },

    /**
     * The current secret becomes the previous one, which keeps signing until `overlapMs` from now.
     * One statement, so two rotations at once cannot both rotate out the same secret and lose the
     * one the first caller was shown. (The ORM's pool returns timestamps as text.) The sealed current
     * secret moves to `previous_secret` as it is: both columns are sealed with the endpoint's context.
     */
    async rotateSecret(id: string, secret: string, overlapMs: number): Promise<WebhookSecrets | null> {
      const { rows } = await db.pool.query<{
        secret: string;
        previous_secret: string | null;
        previous_secret_expires_at: string | null;
      }>(
        `update webhook_endpoints
         set previous_secret = secret, secret = $2,
             previous_secret_expires_at = now() + $3 * interval '1 millisecond', updated_at = now()
         where id = $1
         returning secret, previous_secret, previous_secret_expires_at`,
        [id, sealEndpointSecret(box, id, secret), overlapMs],
      );
      const row = rows[0];
      if (!row) return null;
      return {
        secret: openEndpointSecret(box, id, row.secret),
        previousSecret: row.previous_secret === null ? null : openEndpointSecret(box, id, row.previous_secret),
        previousSecretExpiresAt:
          row.previous_secret_expires_at === null ? null : new Date(row.previous_secret_expires_at),
      };
    },

    async listDeliveries(
      endpointId: string,
      page: number,
      pageSize: number,
    ): Promise<{ items: WebhookDeliveryEntity[]; total: number }> {
      const [items, total] = await em().findAndCount(
        WebhookDeliverySchema,
        { endpointId },
        { orderBy: { seq: 'desc' }, limit: pageSize, offset: (page - 1) * pageSize },
      );
      return { items, total };
    },

    findDelivery(id: string): Promise<WebhookDeliveryEntity | null> {
      return em().findOne(WebhookDeliverySchema, { id });
    },
  };
}

export type WebhookRepository = ReturnType<typeof createWebhookRepository>;

function secretsOf(box: SecretBox, entity: WebhookEndpointEntity): WebhookSecrets {
  const expiresAt = entity.previousSecretExpiresAt ?? null;
  const overlapping = expiresAt !== null && expiresAt > new Date();
  return {
    secret: openEndpointSecret(box, entity.id, entity.secret),
    previousSecret:
      overlapping && entity.previousSecret ? openEndpointSecret(box, entity.id, entity.previousSecret) : null,
    previousSecretExpiresAt: overlapping ? expiresAt : null,
  };
}
