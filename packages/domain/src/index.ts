export * from './config';
export * from './errors';
export * from './jobs';
export * from './product';
export * from './imports';
export * from './events';
export * from './webhooks';
