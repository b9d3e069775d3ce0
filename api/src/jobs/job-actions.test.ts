import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { AppError, signalNames, systemAttribution, workflowTypes } from '@catalog/domain';
import type { BulkDeleteInput } from '@catalog/workflows';
import { Client, ServiceError, type WorkflowClientInterceptor } from '@temporalio/client';
import { type Stack, startStack } from '../../../tests/support/stack';
import { startJobWorkflow } from './job-actions';

/**
 * An unconfirmed workflow start marks its job failed only when Temporal answers that the workflow
 * does not exist. Real Temporal and PostgreSQL; the failures are injected by client interceptors.
 * No worker: a workflow that did start is terminated by the test.
 */
let stack: Stack;

before(async () => {
  stack = await startStack({ isolated: true, worker: false });
});
after(async () => {
  await stack?.stop();
});

/** The stack's Temporal, with a client whose calls go through `interceptor` first. */
function temporalWith(interceptor: WorkflowClientInterceptor) {
  const { connection, namespace } = stack.deps.temporal;
  return {
    ...stack.deps.temporal,
    client: new Client({ connection, namespace, interceptors: { workflow: [interceptor] } }),
  };
}

/** A start that fails before Temporal hears of it, and one Temporal accepted whose answer was lost. */
const startRefused: WorkflowClientInterceptor = {
  start: async () => {
    throw new ServiceError('Deadline exceeded before the start was sent');
  },
};
const answerLost: WorkflowClientInterceptor = {
  start: async (input, next) => {
    await next(input);
    throw new ServiceError('Deadline exceeded after the start was accepted');
  },
};

async function startJob(
  interceptor: WorkflowClientInterceptor,
): Promise<{ jobId: string; workflowId: string; outcome: unknown }> {
  const jobId = randomUUID();
  const job = await stack.deps.jobs.create({ id: jobId, kind: 'bulk_delete', by: systemAttribution('test') });
  const temporal = temporalWith(interceptor);
  const input: BulkDeleteInput = { jobId, batchRows: 1, sliceMs: 0 };
  const deps = { db: stack.deps.db, temporal, jobs: stack.deps.jobs, logger: stack.deps.logger };
  const outcome = await startJobWorkflow(deps, job, (workflowId) =>
    temporal.client.workflow.start(workflowTypes.bulkDelete, {
      workflowId,
      taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
      args: [input],
    }),
  ).then(
    () => 'started',
    (error: unknown) => error,
  );
  return { jobId, workflowId: job.workflowId, outcome };
}

function assertRetryable(outcome: unknown): void {
  assert.ok(outcome instanceof AppError, `expected an AppError, got ${String(outcome)}`);
  assert.equal(outcome.status, 503);
}

async function jobStatus(jobId: string): Promise<{ status: string; errorCode: string | undefined }> {
  const job = await stack.deps.jobs.find(jobId);
  assert.ok(job);
  return { status: job.status, errorCode: job.error?.code };
}

test('a start Temporal never received marks the job failed (not_started) and answers 503', async () => {
  const { jobId, outcome } = await startJob(startRefused);
  assertRetryable(outcome);
  assert.deepEqual(await jobStatus(jobId), { status: 'failed', errorCode: 'not_started' });
});

test('a start whose outcome cannot be checked leaves the job queued and answers 503', async () => {
  const { jobId, outcome } = await startJob({
    ...startRefused,
    describe: async () => {
      throw new ServiceError('Temporal is unreachable');
    },
  });
  assertRetryable(outcome);
  assert.deepEqual(await jobStatus(jobId), { status: 'queued', errorCode: undefined });
});

test('a start Temporal accepted, whose answer was lost, leaves the job queued and succeeds', async () => {
  const { jobId, workflowId, outcome } = await startJob(answerLost);
  assert.equal(outcome, 'started');
  assert.equal(workflowId, `delete-all-${jobId}`, 'the workflow id carries the job kind');
  assert.deepEqual(await jobStatus(jobId), { status: 'queued', errorCode: undefined });
  await stack.deps.temporal.client.workflow.getHandle(workflowId).terminate('test over');
});

test('a job failed because its workflow never started wakes the jobs queued behind it', async () => {
  const waiting = await stack.deps.jobs.create({
    id: randomUUID(),
    kind: 'bulk_delete',
    by: systemAttribution('test'),
  });
  const handle = await stack.deps.temporal.client.workflow.start(workflowTypes.bulkDelete, {
    workflowId: waiting.workflowId,
    // Nobody serves this queue: the workflow only needs to exist to receive the signal.
    taskQueue: `unserved-${randomUUID()}`,
    args: [{ jobId: waiting.id, batchRows: 1, sliceMs: 0 } satisfies BulkDeleteInput],
  });
  try {
    const { jobId, outcome } = await startJob(startRefused);
    assertRetryable(outcome);
    assert.equal((await jobStatus(jobId)).status, 'failed');
    const history = await handle.fetchHistory();
    assert.ok(
      (history.events ?? []).some(
        (event) => event.workflowExecutionSignaledEventAttributes?.signalName === signalNames.jobTurn,
      ),
      'the queued job was signalled its turn',
    );
  } finally {
    await handle.terminate('test over');
  }
});
