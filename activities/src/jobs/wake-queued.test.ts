import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createJob, finishJob, startJob } from '@catalog/db';
import { signalNames, systemAttribution, workflowTypes } from '@catalog/domain';
import type { WorkflowHandle } from '@temporalio/client';
import { type Stack, startStack } from '../../../tests/support/stack';
import { wakeQueuedJobs } from './wake-queued';

/**
 * Waking is a hint to every queued job's workflow, by its stored id, and never an error: real
 * PostgreSQL (a database of its own, so the queue holds only this test's jobs) and Temporal. No
 * worker: the workflows only need to exist to receive signals, on a task queue nobody serves.
 */
let stack: Stack;
const started: WorkflowHandle[] = [];

before(async () => {
  stack = await startStack({ isolated: true, worker: false });
});
after(async () => {
  await Promise.allSettled(started.map((handle) => handle.terminate('test over')));
  await stack?.stop();
});

async function queuedWithWorkflow(): Promise<WorkflowHandle> {
  const job = await createJob(stack.deps.db, { id: randomUUID(), kind: 'bulk_delete', by: systemAttribution('test') });
  const handle = await stack.deps.temporal.client.workflow.start(workflowTypes.bulkDelete, {
    workflowId: job.workflowId,
    taskQueue: `unserved-${randomUUID()}`,
    args: [{ jobId: job.id, batchRows: 1, sliceMs: 0 }],
  });
  started.push(handle);
  return handle;
}

async function jobTurnSignals(handle: WorkflowHandle): Promise<number> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).filter(
    (event) => event.workflowExecutionSignaledEventAttributes?.signalName === signalNames.jobTurn,
  ).length;
}

test('every queued job is signalled its turn; one without a workflow and a finished one do not stop it', async () => {
  const { db, temporal, logger } = stack.deps;
  const first = await queuedWithWorkflow();
  // Accepted, but its workflow never started (the API died between the row and the start).
  await createJob(db, {
    id: randomUUID(),
    kind: 'import',
    fileName: 'lost.csv',
    fileSize: 1,
    filePath: 'x',
    by: systemAttribution('test'),
  });
  const second = await queuedWithWorkflow();
  const ended = await queuedWithWorkflow();
  const endedId = ended.workflowId.replace(/^delete-all-/, '');
  await startJob(db.pool, endedId);
  await finishJob(db.pool, endedId, { status: 'completed' });

  await wakeQueuedJobs({ db, temporal: temporal.client, logger });

  assert.equal(await jobTurnSignals(first), 1);
  assert.equal(await jobTurnSignals(second), 1, 'the job after the one without a workflow was woken too');
  assert.equal(await jobTurnSignals(ended), 0, 'only queued jobs are woken');
});
