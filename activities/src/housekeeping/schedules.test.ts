import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { jobWorkflowId } from '@catalog/domain';
import type { HousekeepingResult } from '@catalog/workflows';
import type { Client, ScheduleHandle } from '@temporalio/client';
import { pollUntil } from '../../../tests/support/imports';
import { type Stack, startStack } from '../../../tests/support/stack';
import { ensureHousekeepingSchedules, housekeepingScheduleId } from './schedules';

/**
 * The schedules against the real Temporal server and a worker on the test's own task queue (which
 * also names the schedules), with a database of its own: the reaper and retention see only the
 * rows made here.
 */
let stack: Stack;
let client: Client;
let taskQueue: string;

before(async () => {
  stack = await startStack({ isolated: true });
  client = stack.deps.temporal.client;
  taskQueue = stack.config.TEMPORAL_TASK_QUEUE;
});
after(async () => {
  // Nothing serves this task queue after the test: its schedules must not go on firing.
  for (const name of ['orphan-reaper', 'retention', 'upload-janitor']) {
    await client?.schedule
      .getHandle(housekeepingScheduleId(taskQueue, name))
      .delete()
      .catch(() => undefined);
  }
  await stack?.stop();
});

/** Triggers the schedule and waits for the run it started (the first action taken after the trigger). */
async function triggerAndWait(handle: ScheduleHandle): Promise<HousekeepingResult> {
  const before = (await handle.describe()).info.recentActions.length;
  await handle.trigger();
  const described = await pollUntil(
    `a run of ${handle.scheduleId}`,
    () => handle.describe(),
    (description) => description.info.recentActions.length > before,
  );
  const taken = described.info.recentActions[before];
  assert.ok(taken);
  const { workflowId, firstExecutionRunId } = taken.action.workflow;
  return client.workflow.getHandle(workflowId, firstExecutionRunId).result();
}

test('the schedules are created once; ensuring them again updates them in place', async () => {
  const first = await ensureHousekeepingSchedules(client, { taskQueue, retentionDays: 30 });
  assert.deepEqual(
    first.map((schedule) => schedule.scheduleId),
    ['orphan-reaper', 'retention', 'upload-janitor'].map((name) => `${taskQueue}-${name}`),
  );
  const retention = client.schedule.getHandle(housekeepingScheduleId(taskQueue, 'retention'));
  const created = await retention.describe();
  assert.equal(created.policies.overlap, 'SKIP');
  assert.equal(created.policies.catchupWindow, 10 * 60_000);
  assert.deepEqual(created.spec.intervals, [{ every: 3_600_000, offset: undefined }]);
  assert.equal(created.action.type, 'startWorkflow');
  assert.equal(created.action.workflowType, 'HousekeepingWorkflow');
  assert.equal(created.action.taskQueue, taskQueue);
  assert.deepEqual(created.action.args, [{ task: 'retention', retentionDays: 30, batchRows: 5_000 }]);
  assert.equal(created.info.lastUpdatedAt, undefined);

  const reaper = await client.schedule.getHandle(housekeepingScheduleId(taskQueue, 'orphan-reaper')).describe();
  assert.deepEqual(reaper.spec.intervals, [{ every: 60_000, offset: undefined }]);
  assert.equal(reaper.policies.overlap, 'SKIP');

  const second = await ensureHousekeepingSchedules(client, { taskQueue, retentionDays: 7 });
  assert.deepEqual(second, first);
  const updated = await retention.describe();
  assert.deepEqual(updated.action.type === 'startWorkflow' && updated.action.args, [
    { task: 'retention', retentionDays: 7, batchRows: 5_000 },
  ]);
  assert.equal(updated.info.createdAt.getTime(), created.info.createdAt.getTime(), 'the same schedule, not a new one');
  assert.ok(updated.info.lastUpdatedAt, 'updated in place');
});

test('triggering the orphan reaper settles an orphaned job and leaves a just-queued one alone', async () => {
  await ensureHousekeepingSchedules(client, { taskQueue, retentionDays: 30 });
  // Neither has a workflow: one was queued five minutes ago (the API died before starting it), the
  // other a moment ago (its start may be on its way).
  const orphan = randomUUID();
  const fresh = randomUUID();
  await stack.deps.db.pool.query(
    `insert into jobs (id, kind, status, workflow_id, created_at) values
       ($1, 'bulk_delete', 'queued', $3, now() - interval '5 minutes'), ($2, 'bulk_delete', 'queued', $4, now())`,
    [orphan, fresh, jobWorkflowId('bulk_delete', orphan), jobWorkflowId('bulk_delete', fresh)],
  );
  const result = await triggerAndWait(client.schedule.getHandle(housekeepingScheduleId(taskQueue, 'orphan-reaper')));
  assert.equal(result.task, 'reap-orphans');
  const { rows } = await stack.deps.db.pool.query<{ id: string; status: string; code: string | null }>(
    `select id, status, error->>'code' as code from jobs where id = any($1::uuid[])`,
    [[orphan, fresh]],
  );
  assert.deepEqual(Object.fromEntries(rows.map((row) => [row.id, [row.status, row.code]])), {
    [orphan]: ['failed', 'orphaned'],
    [fresh]: ['queued', null],
  });
});

test('triggering retention and the upload janitor runs each to completion', async () => {
  await ensureHousekeepingSchedules(client, { taskQueue, retentionDays: 30 });
  const event = randomUUID();
  await stack.deps.db.pool.query(
    `insert into outbox_events (id, type, data, occurred_at, dispatched_at)
     values ($1, 'test', '{}', now() - interval '40 days', now() - interval '40 days')`,
    [event],
  );
  const pruned = await triggerAndWait(client.schedule.getHandle(housekeepingScheduleId(taskQueue, 'retention')));
  assert.ok(pruned.task === 'retention' && pruned.outboxEvents.deleted >= 1, JSON.stringify(pruned));
  const left = await stack.deps.db.pool.query(`select 1 from outbox_events where id = $1`, [event]);
  assert.equal(left.rowCount, 0);

  // A file two days old that no job names: what the API leaves when it dies before creating the job.
  const stale = path.join(stack.config.UPLOAD_DIR, `${randomUUID()}.csv`);
  await writeFile(stale, 'sku,name\n');
  const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3_600_000);
  await utimes(stale, twoDaysAgo, twoDaysAgo);
  const swept = await triggerAndWait(client.schedule.getHandle(housekeepingScheduleId(taskQueue, 'upload-janitor')));
  assert.deepEqual(swept, { task: 'sweep-uploads', removed: 1 });
  assert.equal(existsSync(stale), false);
});
