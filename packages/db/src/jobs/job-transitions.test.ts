import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { type JobKind, systemAttribution } from '@catalog/domain';
import { isolatedDatabase } from '../../../../tests/support/database';
import { type Database, openDatabase } from '../orm';
import { JobNotRunningError, JobTransitionError } from './job-errors';
import { jobsAhead, queuedWorkflowIds } from './job-queue';
import { createJob, findJob } from './job-records';
import {
  failUnstartedJob,
  finishJob,
  moveJobToReview,
  requeueReviewedJob,
  requireJobRunning,
  startJob,
} from './job-transitions';

/** The one guard, against the real table: every refused transition throws, retries of one that happened do not. */
let database: Awaited<ReturnType<typeof isolatedDatabase>>;
let db: Database;

before(async () => {
  database = await isolatedDatabase();
  db = await openDatabase({ databaseUrl: database.url, poolSize: 2 });
});
after(async () => {
  await db?.close();
  await database?.drop();
});

async function newJob(kind: JobKind = 'import') {
  return createJob(db, {
    id: randomUUID(),
    kind,
    fileName: 'a.csv',
    fileSize: 12,
    filePath: 'uploads/a',
    by: systemAttribution('test'),
  });
}

async function refused(work: Promise<unknown>, expected: Partial<JobTransitionError>) {
  await assert.rejects(work, (error: unknown) => {
    assert.ok(error instanceof JobTransitionError, `expected a JobTransitionError, got ${String(error)}`);
    assert.equal(error.code, 'job_transition_refused');
    for (const [key, value] of Object.entries(expected))
      assert.deepEqual(error[key as keyof JobTransitionError], value);
    return true;
  });
}

test('a new job is queued under a workflow id that carries its kind', async () => {
  const job = await newJob('bulk_delete');
  assert.equal(job.workflowId, `delete-all-${job.id}`);
  assert.equal((await findJob(db, job.id))?.status, 'queued');
  assert.deepEqual(await queuedWorkflowIds(db.pool), [job.workflowId]);
  await failUnstartedJob(db.pool, job.id, 'test over');
});

test('start: queued → running once; a retry finds it running; a finished job is refused', async () => {
  const job = await newJob();
  assert.deepEqual(await startJob(db.pool, job.id), {
    kind: 'import',
    fileName: 'a.csv',
    fileSize: 12,
    actor: { kind: 'system', id: null, label: 'test' },
  });
  assert.equal(await startJob(db.pool, job.id), null, 'a retried start is done, and says so');
  await requireJobRunning(db.pool, job.id);
  assert.equal(await finishJob(db.pool, job.id, { status: 'completed', result: { n: 1 } }), true);
  await refused(startJob(db.pool, job.id), { jobId: job.id, to: 'running', found: 'completed', from: ['queued'] });
  await refused(startJob(db.pool, randomUUID()), { found: 'missing' });
});

test('finish: a retry with the same outcome is done; another outcome is refused and changes nothing', async () => {
  const job = await newJob();
  await startJob(db.pool, job.id);
  const error = { code: 'cancelled', message: 'Cancelled' };
  assert.equal(await finishJob(db.pool, job.id, { status: 'cancelled', error, result: { restored: 2 } }), true);
  assert.equal(await finishJob(db.pool, job.id, { status: 'cancelled', error, result: { restored: 0 } }), false);
  await refused(finishJob(db.pool, job.id, { status: 'completed', result: {} }), {
    to: 'completed',
    found: 'cancelled',
    // Every unfinished status: a job waiting in review ends from there too (discarded, expired).
    from: ['queued', 'running', 'review'],
  });
  const row = await findJob(db, job.id);
  assert.equal(row?.status, 'cancelled');
  assert.deepEqual(row?.result, { restored: 2 }, 'the first outcome stands');
  await assert.rejects(requireJobRunning(db.pool, job.id), JobNotRunningError);
});

test('fail-unstarted: only a queued job; a running one is its workflow’s to settle', async () => {
  const queued = await newJob();
  await failUnstartedJob(db.pool, queued.id, 'Temporal was unavailable');
  const row = await findJob(db, queued.id);
  assert.equal(row?.status, 'failed');
  assert.deepEqual(row?.error, { code: 'not_started', message: 'Temporal was unavailable' });
  await refused(failUnstartedJob(db.pool, queued.id, 'again'), { found: 'failed' });

  const running = await newJob();
  await startJob(db.pool, running.id);
  await refused(failUnstartedJob(db.pool, running.id, 'too late'), { found: 'running', to: 'failed' });
  assert.equal((await findJob(db, running.id))?.status, 'running');
  await finishJob(db.pool, running.id, { status: 'failed', error: { code: 'x', message: 'x' } });
});

test('the jobs ahead are the unfinished ones accepted earlier, oldest first', async () => {
  const first = await newJob();
  const done = await newJob();
  await startJob(db.pool, done.id);
  await finishJob(db.pool, done.id, { status: 'completed' });
  const second = await newJob('bulk_delete');
  const third = await newJob();
  assert.deepEqual(
    (await jobsAhead(db.pool, third.id, 60)).map((job) => job.id),
    [first.id, second.id],
    'a finished job holds no one up; the rest in acceptance order',
  );
  for (const job of [first, second, third]) await failUnstartedJob(db.pool, job.id, 'test over');
});

test('review: running → review leaves the queue; apply queues it again behind later jobs, recording who', async () => {
  const reviewed = await newJob();
  await startJob(db.pool, reviewed.id);
  const later = await newJob();
  assert.deepEqual(
    (await jobsAhead(db.pool, later.id, 60)).map((job) => job.id),
    [reviewed.id],
  );
  assert.equal(await moveJobToReview(db.pool, reviewed.id, { stage: 'review' }), true);
  assert.equal(await moveJobToReview(db.pool, reviewed.id, { stage: 'review' }), false, 'a retry finds it done');
  assert.deepEqual(await jobsAhead(db.pool, later.id, 60), [], 'a job in review holds no one up');
  assert.equal((await findJob(db, reviewed.id))?.status, 'review');

  const applier = systemAttribution('applier');
  assert.equal(await requeueReviewedJob(db.pool, reviewed.id, applier), true);
  assert.equal(await requeueReviewedJob(db.pool, reviewed.id, applier), false);
  const requeued = await findJob(db, reviewed.id);
  assert.equal(requeued?.status, 'queued');
  assert.equal(requeued?.appliedByLabel, 'applier');
  assert.ok(Number(requeued?.seq) > Number(later.seq), 'it takes its turn behind the jobs accepted meanwhile');
  assert.deepEqual(
    (await jobsAhead(db.pool, reviewed.id, 60)).map((job) => job.id),
    [later.id],
  );
  const audit = await db.pool.query<{ n: number }>(
    `select count(*)::int as n from audit_log where action = 'import.applied' and target_id = $1`,
    [reviewed.id],
  );
  assert.equal(audit.rows[0]?.n, 1, 'one audit line, however often the step ran');

  await startJob(db.pool, later.id);
  await refused(moveJobToReview(db.pool, reviewed.id, {}), { found: 'queued', to: 'review' });
  await refused(requeueReviewedJob(db.pool, later.id, applier), { found: 'running', to: 'queued' });
  await finishJob(db.pool, later.id, { status: 'completed' });
  await finishJob(db.pool, reviewed.id, { status: 'cancelled' });
});
