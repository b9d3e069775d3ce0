import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { laneSignalWithStart, workflowTypes } from '@catalog/domain/workflows';
import type { WorkflowHandle } from '@temporalio/client';
import { Gate, uniqueTaskQueue, useWorkflowEnv, waitFor, withWorker } from '../../../tests/support/workflow-env';
import { type LaneBatchInput, type LaneBatchSummary, laneWakeSignal } from '../definitions';
import type { WebhookLaneWorkflow } from './lane.workflow';

/**
 * WebhookLaneWorkflow against a real Temporal server with a scripted fake batch: when it runs a batch
 * (woken, a retry due, the breaker's probe, the rate limit's next slot), how wake-ups fold into one,
 * continue-as-new, and its end. What a batch sends is the activity's part (lanes.test.ts).
 */
const env = useWorkflowEnv();

const idle: LaneBatchSummary = {
  endpoint: 'active',
  sent: 1,
  delivered: 1,
  failed: 0,
  consecutiveFailures: 0,
  circuit: 'closed',
  nextDueAt: null,
  rateLimitPerSecond: null,
  lastSentAt: null,
};

type Answer = (now: number) => Partial<LaneBatchSummary>;

/**
 * The fake batch: records when each call started; each answers the next scripted step (a Gate
 * blocks it, then answers idle; a [Gate, answer] pair blocks it, then answers that).
 */
class FakeLane {
  readonly calls: number[] = [];
  readonly script: (Answer | Gate | [Gate, Answer])[] = [];

  activities() {
    return {
      deliverBatch: async (_input: LaneBatchInput): Promise<LaneBatchSummary> => {
        const now = Date.now();
        this.calls.push(now);
        const step = this.script.shift();
        if (step instanceof Gate) {
          await step.wait();
          return idle;
        }
        if (Array.isArray(step)) {
          const [gate, answer] = step;
          await gate.wait();
          return { ...idle, ...answer(Date.now()) };
        }
        return { ...idle, ...step?.(now) };
      },
    };
  }

  waitForCalls(count: number): Promise<number[]> {
    return waitFor(
      `${count} batches`,
      () => this.calls.slice(),
      (calls) => calls.length >= count,
    );
  }
}

/** Proves a batch did not run: real time passes, so the wait is short and the workflows' timers are long. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 700));

async function runLane(
  name: string,
  fake: FakeLane,
  body: (wake: () => Promise<WorkflowHandle<typeof WebhookLaneWorkflow>>) => Promise<void>,
  batchesPerRun?: number,
): Promise<void> {
  const taskQueue = uniqueTaskQueue(name);
  const endpoint = { id: randomUUID(), name: `lane ${name}` };
  await withWorker(env(), taskQueue, fake.activities(), async () => {
    const wake = async () => {
      const options = laneSignalWithStart(endpoint, taskQueue, 10, [randomUUID()]);
      const input = options.args[0];
      return env().client.workflow.signalWithStart<typeof WebhookLaneWorkflow, [{ eventIds: string[] }]>(
        workflowTypes.webhookLane,
        { ...options, args: [{ ...input, ...(batchesPerRun ? { batchesPerRun } : {}) }] },
      );
    };
    await body(wake);
  });
}

test('wake-ups that arrive while a batch runs fold into one more batch', async () => {
  const fake = new FakeLane();
  const gate = new Gate();
  fake.script.push(gate);
  await runLane('coalesce', fake, async (wake) => {
    await wake();
    await fake.waitForCalls(1);
    for (let i = 0; i < 5; i++) await wake();
    gate.open();
    await fake.waitForCalls(2);
    await settle();
    assert.equal(fake.calls.length, 2, 'five wake-ups during a batch make one batch after it');
  });
});

test('with no wake-up it runs a batch when the next retry is due, and not before', async () => {
  const fake = new FakeLane();
  fake.script.push((now) => ({ sent: 1, failed: 0, nextDueAt: now + 1_500 }));
  await runLane('due', fake, async (wake) => {
    await wake();
    const [first] = await fake.waitForCalls(1);
    const [, second] = await fake.waitForCalls(2);
    assert.ok(first && second);
    assert.ok(second - first >= 1_400, `the retry ran ${second - first} ms after the batch`);
    await settle();
    assert.equal(fake.calls.length, 2, 'nothing pending: it waits for a wake-up');
  });
});

test('an open breaker ignores wake-ups until its probe is due; a good probe closes it', async () => {
  const fake = new FakeLane();
  fake.script.push(
    (now) => ({ sent: 3, delivered: 0, consecutiveFailures: 10, circuit: 'open', nextDueAt: now + 2_000 }),
    () => ({ sent: 1, circuit: 'closed', nextDueAt: null }),
  );
  await runLane('breaker', fake, async (wake) => {
    await wake();
    const [opened] = await fake.waitForCalls(1);
    await wake();
    await wake();
    await settle();
    assert.equal(fake.calls.length, 1, 'paused: wake-ups do not send');
    const [, probe] = await fake.waitForCalls(2);
    assert.ok(opened && probe && probe - opened >= 1_900, 'the probe waits for the cool-down');
    await wake();
    const calls = await fake.waitForCalls(3);
    assert.ok((calls[2] ?? 0) - (calls[1] ?? 0) < 1_500, 'closed again: a wake-up sends at once');
  });
});

test('a reset wake-up (the endpoint enabled again) ends the pause at once instead of waiting for the probe', async () => {
  const fake = new FakeLane();
  fake.script.push((now) => ({
    sent: 3,
    delivered: 0,
    consecutiveFailures: 3,
    circuit: 'open',
    nextDueAt: now + 60_000,
  }));
  await runLane('reset', fake, async (wake) => {
    const handle = await wake();
    await fake.waitForCalls(1);
    await wake();
    await settle();
    assert.equal(fake.calls.length, 1, 'paused: a plain wake-up does not send');
    await handle.signal(laneWakeSignal, { eventIds: [], reset: true });
    await fake.waitForCalls(2);
    await wake();
    await fake.waitForCalls(3);
  });
});

test('a reset that lands while a batch runs is not undone by the open breaker that batch read', async () => {
  const fake = new FakeLane();
  const inFlight = new Gate();
  fake.script.push([
    inFlight,
    (now) => ({ sent: 3, delivered: 0, consecutiveFailures: 3, circuit: 'open', nextDueAt: now + 60_000 }),
  ]);
  await runLane('reset-mid-batch', fake, async (wake) => {
    const handle = await wake();
    await fake.waitForCalls(1);
    await handle.signal(laneWakeSignal, { eventIds: [], reset: true });
    inFlight.open();
    // Without the reset the lane would wait a minute for its probe.
    await fake.waitForCalls(2);
  });
});

test('a batch that sent nothing while the first message waits (ordered mode) sleeps until it is due', async () => {
  const fake = new FakeLane();
  // Ordered: the head is retried in 1.5 s; later messages wake the lane, the batch sends nothing.
  const headDue = { at: 0 };
  fake.script.push(
    (now) => {
      headDue.at = now + 1_500;
      return { sent: 1, failed: 0, nextDueAt: headDue.at };
    },
    () => ({ sent: 0, delivered: 0, nextDueAt: headDue.at }),
  );
  await runLane('ordered', fake, async (wake) => {
    await wake();
    await fake.waitForCalls(1);
    await wake();
    await fake.waitForCalls(2);
    const calls = await fake.waitForCalls(3);
    assert.ok((calls[2] ?? 0) >= headDue.at - 100, 'the next batch waits for the head message');
    await settle();
    assert.equal(fake.calls.length, 3);
  });
});

test('a rate limit spaces batches: a wake-up right after one waits for the next slot', async () => {
  const fake = new FakeLane();
  fake.script.push((now) => ({ sent: 2, rateLimitPerSecond: 1, lastSentAt: now }));
  await runLane('rate', fake, async (wake) => {
    await wake();
    const [first] = await fake.waitForCalls(1);
    await wake();
    const [, second] = await fake.waitForCalls(2);
    assert.ok(first && second && second - first >= 950, `next batch ${(second ?? 0) - (first ?? 0)} ms later`);
  });
});

test('it continues as new after its batches per run and keeps its state: a due retry still runs', async () => {
  const fake = new FakeLane();
  fake.script.push(
    () => ({}),
    (now) => ({ sent: 1, failed: 0, nextDueAt: now + 1_000 }),
    () => ({}),
  );
  await runLane(
    'continue',
    fake,
    async (wake) => {
      const handle = await wake();
      const firstRun = (await handle.describe()).runId;
      await fake.waitForCalls(1);
      await wake();
      // The second batch ends the first run; the retry it scheduled runs in the second.
      await fake.waitForCalls(3);
      const current = await env().client.workflow.getHandle(handle.workflowId).describe();
      assert.notEqual(current.runId, firstRun, 'a new run');
      assert.equal(current.status.name, 'RUNNING');
      await wake();
      await fake.waitForCalls(4);
    },
    2,
  );
});

test('it ends when its endpoint is disabled; a wake-up starts it again', async () => {
  const fake = new FakeLane();
  fake.script.push(() => ({ endpoint: 'disabled', sent: 0 }));
  await runLane('end', fake, async (wake) => {
    const handle = await wake();
    assert.deepEqual(await handle.result(), { ended: 'disabled' });
    const again = await wake();
    await fake.waitForCalls(2);
    assert.equal((await again.describe()).status.name, 'RUNNING');
  });
});
