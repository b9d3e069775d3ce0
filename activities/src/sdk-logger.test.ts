import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { LogTimestamp } from '@temporalio/worker';
import pino from 'pino';
import { z } from 'zod';
import { coreLogLevel, pinoSdkLogger } from './sdk-logger';

function capture(level: pino.Level) {
  const lines: unknown[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: pino({ name: 'worker', level }, stream), lines };
}

test('SDK log calls become pino JSON lines with the SDK metadata as fields', () => {
  const { logger, lines } = capture('info');
  const sdk = pinoSdkLogger(logger);
  sdk.info('Worker state changed', { sdkComponent: 'worker', state: 'RUNNING', [LogTimestamp]: 1n });
  sdk.log('WARN', 'core says', { sdkComponent: 'core' });
  sdk.error('Activity failed', { sdkComponent: 'activity', error: new Error('boom') });
  sdk.debug('below the level', { sdkComponent: 'worker' });

  const line = z.object({ level: z.number(), time: z.number(), name: z.string(), msg: z.string() }).passthrough();
  const [state, core, failed, ...rest] = lines.map((l) => line.parse(l));
  assert.deepEqual(rest, []);
  assert.deepEqual(
    { level: state?.level, name: state?.name, msg: state?.msg, sdkComponent: state?.sdkComponent, state: state?.state },
    { level: 30, name: 'worker', msg: 'Worker state changed', sdkComponent: 'worker', state: 'RUNNING' },
  );
  assert.deepEqual({ level: core?.level, msg: core?.msg }, { level: 40, msg: 'core says' });
  const error = z.object({ type: z.string(), message: z.string(), stack: z.string() }).parse(failed?.error);
  assert.deepEqual(
    { level: failed?.level, type: error.type, message: error.message },
    { level: 50, type: 'Error', message: 'boom' },
  );
});

test('core forwards warnings unless the log level asks for more (or less)', () => {
  assert.equal(coreLogLevel('info'), 'WARN');
  assert.equal(coreLogLevel('warn'), 'WARN');
  assert.equal(coreLogLevel('debug'), 'DEBUG');
  assert.equal(coreLogLevel('trace'), 'TRACE');
  assert.equal(coreLogLevel('error'), 'ERROR');
});
