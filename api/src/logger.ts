import type { Config } from '@catalog/domain';
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, name: string): Logger {
  return pino({ name, level: config.LOG_LEVEL });
}
