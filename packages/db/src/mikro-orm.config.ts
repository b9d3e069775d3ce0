import { Migrator } from '@mikro-orm/migrations';
import { defineConfig } from '@mikro-orm/postgresql';
import { JobSchema } from './entities/job.entity';
import { ProductSchema } from './entities/product.entity';
import { migrationsList } from './migrations';
import { WebhookDeliverySchema } from './webhooks/delivery.entity';
import { WebhookEndpointSchema } from './webhooks/endpoint.entity';

export const entities = [ProductSchema, JobSchema, WebhookEndpointSchema, WebhookDeliverySchema];

export type OrmOptions = { databaseUrl: string; poolSize?: number; debug?: boolean };

export function createOrmConfig(options: OrmOptions) {
  return defineConfig({
    clientUrl: options.databaseUrl,
    entities,
    extensions: [Migrator],
    pool: { min: 0, max: options.poolSize ?? 10 },
    debug: options.debug ?? false,
    migrations: { migrationsList, transactional: true, allOrNothing: true, snapshot: false },
    discovery: { warnWhenNoEntities: false },
  });
}
