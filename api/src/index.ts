export { createApp } from './app';
export { type AppDeps, openDependencies } from './deps';
export { createHttpServer } from './http-server';
export { createLogger } from './logger';
