import { Migrator } from '@mikro-orm/migrations';
import { defineConfig } from '@mikro-orm/postgresql';
import { JobSchema } from './entities/job.entity';
import { ProductSchema } from './entities/product.entity';
import { migrationsList } from './migrations';
import { WebhookDeliverySchema } from './webhooks/delivery.entity';
import { WebhookEndpointSchema } from './webhooks/endpoint.entity';

export const entities = [ProductSchema, JobSchema, WebhookEndpointSchema, WebhookDeliverySchema];

/**
 * PostgreSQL ends a statement running longer than `statementMs` and a session idle inside a
 * transaction longer than `idleInTransactionMs` (0 or unset: never). For the API's connections, where
 * every statement answers a request; the worker's long batch statements are bounded by Temporal instead.
 */
export type SessionTimeouts = { statementMs?: number; idleInTransactionMs?: number };

export type OrmOptions = { databaseUrl: string; poolSize?: number; debug?: boolean; timeouts?: SessionTimeouts };

/** The `pg` connection settings that make the server enforce `timeouts` (sent when each connection opens). */
export function sessionTimeoutSettings(timeouts: SessionTimeouts = {}) {
  return {
    ...(timeouts.statementMs ? { statement_timeout: timeouts.statementMs } : {}),
    ...(timeouts.idleInTransactionMs ? { idle_in_transaction_session_timeout: timeouts.idleInTransactionMs } : {}),
  };
}

export function createOrmConfig(options: OrmOptions) {
  return defineConfig({
    clientUrl: options.databaseUrl,
    entities,
    extensions: [Migrator],
    pool: { min: 0, max: options.poolSize ?? 10 },
    driverOptions: sessionTimeoutSettings(options.timeouts),
    debug: options.debug ?? false,
    migrations: { migrationsList, transactional: true, allOrNothing: true, snapshot: false },
    discovery: { warnWhenNoEntities: false },
  });
}
