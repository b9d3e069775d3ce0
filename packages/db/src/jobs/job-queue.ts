import type { JobKind } from '@catalog/domain';
import { queueHoldingStatuses, unfinishedStatuses } from './job-guard';
import type { JobSql } from './job-sql';

/**
 * A job that holds the queue (queued or running), or, for the orphan reaper, any unfinished one. `old` says it was created more than the given
 * grace period ago, so a workflow that does not exist will not be started any more.
 */
export type QueuedJob = { id: string; kind: JobKind; workflowId: string; old: boolean };

type QueuedJobRow = { id: string; kind: JobKind; workflow_id: string; old: boolean };
const fromRow = (row: QueuedJobRow): QueuedJob => ({
  id: row.id,
  kind: row.kind,
  workflowId: row.workflow_id,
  old: row.old,
});

/** Jobs that write the whole catalog take turns, in the order they were accepted (`seq`). */
const queueColumns = `id, kind, workflow_id, created_at < now() - make_interval(secs => $1) as old`;

/** The jobs holding the queue that were accepted (or queued again) before this one, oldest first: its turn comes when none is left. */
export async function jobsAhead(sql: JobSql, jobId: string, graceSeconds: number): Promise<QueuedJob[]> {
  const { rows } = await sql.query<QueuedJobRow>(
    `select ${queueColumns} from jobs
     where seq < (select seq from jobs where id = $2) and status = any($3::text[])
     order by seq`,
    [graceSeconds, jobId, queueHoldingStatuses],
  );
  return rows.map(fromRow);
}

/** Every unfinished job, oldest first: what the scheduled orphan reaper looks at. */
export async function unfinishedJobs(sql: JobSql, graceSeconds: number): Promise<QueuedJob[]> {
  const { rows } = await sql.query<QueuedJobRow>(
    `select ${queueColumns} from jobs where status = any($2::text[]) order by seq`,
    [graceSeconds, unfinishedStatuses],
  );
  return rows.map(fromRow);
}

/** True while the job still holds the queue (read again before settling it as an orphan). */
export async function isJobUnfinished(sql: JobSql, jobId: string): Promise<boolean> {
  const { rowCount } = await sql.query(`select 1 from jobs where id = $1 and status = any($2::text[])`, [
    jobId,
    unfinishedStatuses,
  ]);
  return (rowCount ?? 0) > 0;
}

/**
 * True once the job took its turn and has not ended: only such a job can have planned (and changed)
 * anything. A job in review planned in an earlier turn, but dropped nothing for it (see planImport).
 */
export async function isJobRunning(sql: JobSql, jobId: string): Promise<boolean> {
  const { rowCount } = await sql.query(`select 1 from jobs where id = $1 and status = 'running'`, [jobId]);
  return (rowCount ?? 0) > 0;
}

/** The workflow ids of the jobs still waiting for their turn, in acceptance order: those to wake when a job ends. */
export async function queuedWorkflowIds(sql: JobSql): Promise<string[]> {
  const { rows } = await sql.query<{ workflow_id: string }>(
    `select workflow_id from jobs where status = 'queued' order by seq`,
  );
  return rows.map((row) => row.workflow_id);
}
