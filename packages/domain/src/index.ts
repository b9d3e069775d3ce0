export * from './config';
export * from './errors';
export * from './events';
export * from './imports';
export * from './jobs';
export * from './product';
export * from './products';
export * from './webhooks';
