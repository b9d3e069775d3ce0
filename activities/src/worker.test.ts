import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { z } from 'zod';
import { pollUntil } from '../../tests/support/imports';
import { type AppProcess, spawnEntry } from '../../tests/support/processes';

/** The worker process as production runs it: its probe and metrics port, its log stream, its drain. */
const startedLine = z.object({ msg: z.literal('worker started'), healthPort: z.number().int().positive() });
const pinoLine = z.object({
  level: z.number(),
  time: z.number(),
  pid: z.number(),
  hostname: z.string(),
  name: z.literal('worker'),
  msg: z.string(),
});

let worker: AppProcess;
let baseUrl: string;

before(async () => {
  worker = spawnEntry('worker', {
    ...process.env,
    TEMPORAL_TASK_QUEUE: `test-${randomUUID()}`,
    WORKER_HEALTH_PORT: '0',
    LOG_LEVEL: 'info',
  });
  const line = await worker.waitForLine((l) => l.includes('"worker started"'));
  baseUrl = `http://127.0.0.1:${startedLine.parse(JSON.parse(line)).healthPort}`;
});
after(() => {
  if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
});

test('the worker is live, then ready once connected to PostgreSQL and Temporal with its workers running', async () => {
  assert.equal((await fetch(`${baseUrl}/health/live`)).status, 200);
  const ready = await pollUntil(
    'worker ready',
    async () => {
      const response = await fetch(`${baseUrl}/health/ready`);
      return { status: response.status, body: await response.json() };
    },
    (r) => r.status === 200,
  );
  assert.deepEqual(ready.body, { status: 'ready', down: [] });
});

test("/metrics has the process's default metrics and the SDK's worker metrics", async () => {
  const response = await fetch(`${baseUrl}/metrics`);
  assert.equal(response.status, 200);
  const text = await response.text();
  assert.match(text, /^nodejs_version_info\{version="v24\./m);
  assert.match(text, /^temporal_worker_task_slots_available\{.*worker_type="ActivityWorker"/m);
  assert.match(text, /^temporal_num_pollers\{/m);
});

test('SIGTERM drains and exits 0; every line the worker wrote, SDK lines included, is pino JSON', async () => {
  worker.child.kill('SIGTERM');
  assert.equal(await worker.exited, 0);
  const lines = worker.lines.map((line) => pinoLine.passthrough().parse(JSON.parse(line)));
  const messages = lines.map((line) => line.msg);
  assert.ok(messages.indexOf('worker stopping') < messages.indexOf('worker stopped'), messages.join(' | '));
  const sdkLines = lines.filter((line) => line.sdkComponent === 'worker');
  assert.ok(sdkLines.length > 0, `the SDK's own lines are in the stream: ${messages.join(' | ')}`);
});
