export { createApp } from './app';
export { type AppDeps, openDependencies } from './deps';
export { createLogger } from './logger';
