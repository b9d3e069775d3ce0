import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { deliveryWorkflowId } from '@catalog/domain';
import type { Api } from '../../../tests/support/api';
import { pollUntil } from '../../../tests/support/imports';
import { type Stack, startStack } from '../../../tests/support/stack';
import {
  commitProductUpdate,
  createWebhook,
  deliveryLog,
  type Receiver,
  startReceiver,
  startWebhookRuntime,
} from '../../../tests/support/webhooks';

/** Crashes around a delivery: nothing committed may be lost. */
let stack: Stack;
let api: Api;
const receivers: Receiver[] = [];
const children: ChildProcess[] = [];

before(async () => {
  stack = await startStack({ isolated: true, worker: false, env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
  // Webhooks are the admins'.
  api = await stack.as('admin');
});
after(async () => {
  for (const child of children) child.kill('SIGKILL');
  for (const receiver of receivers) await receiver.close();
  await stack?.stop();
});

async function receiver(): Promise<Receiver> {
  const started = await startReceiver();
  receivers.push(started);
  return started;
}

/** The real worker process (workers, dispatcher), so it can be killed with SIGKILL. */
function startWorkerProcess(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'activities/src/worker.ts'], {
    cwd: path.resolve(import.meta.dirname, '../../..'),
    env: {
      ...process.env,
      DATABASE_URL: stack.config.DATABASE_URL,
      TEMPORAL_ADDRESS: stack.config.TEMPORAL_ADDRESS,
      TEMPORAL_NAMESPACE: stack.config.TEMPORAL_NAMESPACE,
      TEMPORAL_TASK_QUEUE: stack.config.TEMPORAL_TASK_QUEUE,
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(child);
  return child;
}

test('a change committed just before the API died, with no dispatcher running, is delivered once one starts', async () => {
  const hook = await receiver();
  const endpoint = await createWebhook(api, { url: hook.url });
  // Committed on a connection that is closed right after, while nothing listens for the notification.
  const eventId = await commitProductUpdate(stack.deps.db);

  const runtime = await startWebhookRuntime(stack);
  try {
    const [request] = await hook.waitFor(1);
    assert.equal(request?.headers['webhook-id'], eventId);
    const handle = stack.deps.temporal.client.workflow.getHandle(deliveryWorkflowId(eventId, endpoint.id));
    assert.equal((await handle.result()).outcome, 'delivered');
  } finally {
    await runtime.stop();
  }
});

test('a worker killed while a receiver holds the request delivers the event once another worker starts', async () => {
  const hook = await receiver();
  let killed!: () => void;
  const workerGone = new Promise<void>((resolve) => (killed = resolve));
  // The first request is held until its worker is dead; later ones are answered at once.
  hook.respond(async (_, index) => {
    if (index === 0) await workerGone;
    return { status: 200, body: `answered request ${index}` };
  });
  const endpoint = await createWebhook(api, { url: hook.url });

  const first = startWorkerProcess();
  const eventId = await commitProductUpdate(stack.deps.db);
  await hook.waitFor(1, 120_000);
  const exited = once(first, 'exit');
  first.kill('SIGKILL');
  await exited;
  killed();

  startWorkerProcess();
  const handle = stack.deps.temporal.client.workflow.getHandle(deliveryWorkflowId(eventId, endpoint.id));
  const result = await handle.result();
  assert.equal(result.outcome, 'delivered');
  assert.ok(hook.received.length >= 2);
  assert.ok(
    hook.received.every((request) => request.headers['webhook-id'] === eventId),
    'one message, sent again',
  );
  const log = await pollUntil(
    'the delivery in the log',
    () => deliveryLog(api, endpoint.id),
    (rows) => rows.length > 0,
  );
  assert.deepEqual(
    log.map((row) => [row.ok, row.statusCode]),
    [[true, 200]],
    'the killed attempt never finished, so only the successful one is logged',
  );
});
