import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startWorkerHealth, type WorkerHealth } from './worker-health';

/** Readiness logic on its own; worker.test.ts checks the real worker process behind it. */
let health: WorkerHealth;
let temporalDown = false;

before(async () => {
  health = await startWorkerHealth({
    host: '127.0.0.1',
    port: 0,
    checks: {
      database: async () => undefined,
      temporal: async () => {
        if (temporalDown) throw new Error('unreachable');
      },
    },
    sdkMetricsUrl: 'http://127.0.0.1:9/metrics',
  });
});
after(() => health.close());

const ready = async () => {
  const response = await fetch(`http://127.0.0.1:${health.port}/health/ready`);
  return { status: response.status, body: await response.json() };
};

test('readiness names what is down', async () => {
  assert.deepEqual(await ready(), { status: 200, body: { status: 'ready', down: [] } });
  temporalDown = true;
  assert.deepEqual(await ready(), { status: 503, body: { status: 'unavailable', down: ['temporal'] } });
  temporalDown = false;
});

test('readiness is 503 from the moment shutdown begins, while liveness stays 200', async () => {
  health.beginShutdown();
  assert.deepEqual(await ready(), { status: 503, body: { status: 'stopping', down: [] } });
  assert.equal((await fetch(`http://127.0.0.1:${health.port}/health/live`)).status, 200);
});
