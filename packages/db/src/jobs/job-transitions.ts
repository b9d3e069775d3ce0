import type { ActorRef, Attribution, JobError, JobKind, JobStatus } from '@catalog/domain';
import { appendAudit } from '../audit/append-audit';
import { type ActorColumns, actorFromColumns } from './job-actor';
import { JobNotRunningError, JobTransitionError } from './job-errors';
import { type FinalStatus, type Transition, transitions } from './job-guard';
import type { JobSql } from './job-sql';

/**
 * Moves a job along one transition in one statement. When the row is not in a status the
 * transition may leave, it is read again: already in the target status is done (null) where the
 * transition allows it, anything else throws `JobTransitionError` — never a silent no-op.
 * `set` assigns further columns from `$4` on, `returning` picks what the caller reads back.
 */
async function transition<Row extends object>(
  sql: JobSql,
  jobId: string,
  { from, to, sameAgain }: Transition,
  set: { columns: string; params: unknown[]; returning: string },
): Promise<Row | null> {
  const moved = await sql.query<Row>(
    `update jobs set status = $2${set.columns ? `, ${set.columns}` : ''}
     where id = $1 and status = any($3::text[]) returning ${set.returning}`,
    [jobId, to, from, ...set.params],
  );
  const row = moved.rows[0];
  if (row) return row;
  const found = (await sql.query<{ status: JobStatus }>(`select status from jobs where id = $1`, [jobId])).rows[0]
    ?.status;
  if (found === to && sameAgain) return null;
  throw new JobTransitionError(jobId, from, to, found ?? 'missing');
}

export type StartedJob = { kind: JobKind; fileName: string | null; fileSize: number | null; actor: ActorRef | null };

/**
 * Queued → running. Null when it already was running: an earlier attempt of the same activity
 * committed and its answer was lost, so it must not announce the start again.
 */
export async function startJob(sql: JobSql, jobId: string): Promise<StartedJob | null> {
  const row = await transition<{ kind: JobKind; file_name: string | null; file_size: string | null } & ActorColumns>(
    sql,
    jobId,
    transitions.start,
    {
      columns: 'started_at = now()',
      params: [],
      returning: 'kind, file_name, file_size, actor_kind, actor_id, actor_label',
    },
  );
  if (!row) return null;
  return {
    kind: row.kind,
    fileName: row.file_name,
    fileSize: row.file_size === null ? null : Number(row.file_size),
    actor: actorFromColumns(row),
  };
}

/** How a job ended; a column left undefined keeps what the row holds. */
export type JobOutcome = {
  status: FinalStatus;
  result?: Record<string, unknown> | null;
  progress?: Record<string, unknown> | null;
  error?: JobError | null;
};

/**
 * Queued or running → completed, failed or cancelled. True when this call ended the job (the
 * caller then appends its event in the same transaction); false when the job already had this
 * outcome, which is how a retried finishing activity whose first attempt committed finds it.
 */
export async function finishJob(sql: JobSql, jobId: string, outcome: JobOutcome): Promise<boolean> {
  const assignments: string[] = ['finished_at = now()'];
  const params: unknown[] = [];
  for (const column of ['result', 'progress', 'error'] as const) {
    const value = outcome[column];
    if (value === undefined) continue;
    params.push(value === null ? null : JSON.stringify(value));
    assignments.push(`${column} = $${params.length + 3}`);
  }
  const row = await transition(sql, jobId, transitions.finish(outcome.status), {
    columns: assignments.join(', '),
    params,
    returning: 'id',
  });
  return row !== null;
}

/**
 * Queued → failed, for a job whose workflow Temporal says does not exist: it never reached
 * Temporal and must not hold the queue. A job its workflow already took as running is that
 * workflow's to settle, so anything but queued is refused.
 */
export async function failUnstartedJob(sql: JobSql, jobId: string, message: string): Promise<void> {
  const error: JobError = { code: 'not_started', message };
  await transition(sql, jobId, transitions.failUnstarted, {
    columns: 'error = $4, finished_at = now()',
    params: [JSON.stringify(error)],
    returning: 'id',
  });
}

/**
 * Throws `JobNotRunningError` unless the job is running, and holds a share lock on its row until
 * the caller's transaction ends: a concurrent change of its status waits for that transaction, and
 * a transaction starting after such a change sees it. Apply-chunk and delete batches call it first.
 */
export async function requireJobRunning(sql: JobSql, jobId: string): Promise<void> {
  const { rows } = await sql.query<{ status: JobStatus }>(`select status from jobs where id = $1 for share`, [jobId]);
  const status = rows[0]?.status;
  if (status !== 'running') throw new JobNotRunningError(jobId, status ?? 'missing');
}

/**
 * Running → review: the reviewed import's diff is ready and it stops holding the queue. `progress`
 * (its review counts) is stored with it, so the row tells what waits even when no worker answers.
 * True when this call moved it; false when an earlier attempt already had.
 */
export async function moveJobToReview(sql: JobSql, jobId: string, progress: Record<string, unknown>): Promise<boolean> {
  const row = await transition(sql, jobId, transitions.toReview, {
    columns: 'progress = $4',
    params: [JSON.stringify(progress)],
    returning: 'id',
  });
  return row !== null;
}

/**
 * Review → queued, for a reviewed import someone applied: it gets a new `seq`, so it takes its turn
 * behind every job accepted so far, and records who applied it (with an audit line, in the
 * caller's transaction). False when an earlier attempt already moved it.
 */
export async function requeueReviewedJob(sql: JobSql, jobId: string, by: Attribution): Promise<boolean> {
  const row = await transition(sql, jobId, transitions.requeue, {
    columns: 'seq = default, applied_by_kind = $4, applied_by_id = $5, applied_by_label = $6',
    params: [by.actor.kind, by.actor.id, by.actor.label],
    returning: 'id',
  });
  if (row === null) return false;
  await appendAudit(sql, by, { action: 'import.applied', target: { type: 'job', id: jobId } });
  return true;
}
