export { JobSchema, type JobEntity } from './entities/job.entity';
export { ProductSchema, type ProductEntity } from './entities/product.entity';
export { createOrmConfig, entities } from './mikro-orm.config';
export { migrate, openDatabase, pingDatabase, type Database } from './orm';
export { appendEvent, OUTBOX_NOTIFY_CHANNEL, type SqlExecutor } from './outbox';
export * from './webhooks';
