export { createApp } from './app';
export { type AppDeps, openDependencies } from './deps';
export { applyServerLimits, createHttpServer } from './http-server';
export { createLogger } from './logger';
