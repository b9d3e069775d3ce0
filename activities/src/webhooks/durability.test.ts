import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Api } from '../../../tests/support/api';
import { type Stack, startStack } from '../../../tests/support/stack';
import {
  commitProductUpdate,
  createWebhook,
  deliveryLog,
  messageLog,
  type Receiver,
  startReceiver,
  startWebhookRuntime,
  waitForMessage,
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
    await waitForMessage(api, endpoint.id, eventId);
  } finally {
    await runtime.stop();
  }
});

test('a worker killed mid-batch: once another worker starts, every message is delivered, repeats under the same webhook-id', async () => {
  const hook = await receiver();
  let killed!: () => void;
  const workerGone = new Promise<void>((resolve) => (killed = resolve));
  // Requests are held until their worker is dead; later ones are answered at once.
  hook.respond(async () => {
    await workerGone;
    return { status: 200, body: 'answered' };
  });
  const endpoint = await createWebhook(api, { url: hook.url });

  const first = startWorkerProcess();
  const eventIds: string[] = [];
  for (let i = 0; i < 5; i++) eventIds.push(await commitProductUpdate(stack.deps.db));
  await hook.waitFor(1, 120_000);
  const exited = once(first, 'exit');
  first.kill('SIGKILL');
  await exited;
  const sentBeforeKill = new Set(hook.received.map((request) => request.headers['webhook-id']));
  killed();

  startWorkerProcess();
  // The killed batch is noticed by its heartbeat timeout and runs again on the new worker.
  for (const eventId of eventIds) await waitForMessage(api, endpoint.id, eventId, ['delivered'], 120_000);
  const ids = hook.received.map((request) => request.headers['webhook-id']);
  assert.deepEqual(new Set(ids), new Set(eventIds), 'nothing missing, nothing else');
  for (const id of sentBeforeKill) {
    assert.ok(ids.filter((each) => each === id).length >= 2, 'a message sent when the worker died is sent again');
  }
  const messages = await messageLog(api, endpoint.id);
  assert.deepEqual(
    messages.map((message) => [message.state, message.attempts]),
    eventIds.map(() => ['delivered', 1]),
    'the killed attempts were never recorded: each message has its one successful attempt',
  );
  const log = await deliveryLog(api, endpoint.id);
  assert.equal(log.length, eventIds.length);
  assert.ok(log.every((row) => row.ok && row.statusCode === 200));
});
