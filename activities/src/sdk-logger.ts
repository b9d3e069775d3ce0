import type { LogLevel, LogMetadata, Logger as SdkLogger } from '@temporalio/worker';
import pino, { type Logger } from 'pino';

const PINO_LEVELS = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/**
 * The Temporal SDK's logger (`Runtime.install({ logger })`) writing through pino, so the worker's
 * own lines, the SDK's (`sdkComponent: worker`, workflow and activity loggers) and core's
 * (`sdkComponent: core`, forwarded) are one JSON stream. The SDK's metadata becomes the line's
 * fields; it reports failures under `error`, serialized like pino's `err`.
 */
export function pinoSdkLogger(logger: Logger): SdkLogger {
  const sdk = logger.child({}, { serializers: { error: pino.stdSerializers.err } });
  const log = (level: LogLevel, message: string, meta?: LogMetadata) => sdk[PINO_LEVELS[level]](meta ?? {}, message);
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}

/**
 * The level core filters at before forwarding: core is chatty at INFO (every poll and connection),
 * so below debug it only sends warnings, whatever LOG_LEVEL says.
 */
export function coreLogLevel(level: string): LogLevel {
  if (level === 'trace') return 'TRACE';
  if (level === 'debug') return 'DEBUG';
  if (level === 'error' || level === 'fatal' || level === 'silent') return 'ERROR';
  return 'WARN';
}
