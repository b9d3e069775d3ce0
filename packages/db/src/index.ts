export * from './auth';
export { type ProductEntity, ProductSchema } from './entities/product.entity';
export * from './jobs';
export { createOrmConfig, entities } from './mikro-orm.config';
export { type Database, migrate, openDatabase, pingDatabase } from './orm';
export { appendEvent, OUTBOX_NOTIFY_CHANNEL, type SqlExecutor } from './outbox';
export * from './products';
export * from './secrets';
export * from './webhooks';
