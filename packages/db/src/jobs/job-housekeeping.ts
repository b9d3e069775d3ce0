import type { JobKind } from '@catalog/domain';
import { unfinishedStatuses } from './job-guard';
import type { JobSql } from './job-sql';

/** The upload a job reads, if it has one: removed once the job has ended. */
export async function jobFilePath(sql: JobSql, jobId: string): Promise<string | null> {
  const { rows } = await sql.query<{ file_path: string | null }>(`select file_path from jobs where id = $1`, [jobId]);
  return rows[0]?.file_path ?? null;
}

/** The uploads that unfinished jobs still need: the upload janitor keeps them. */
export async function activeJobFilePaths(sql: JobSql): Promise<string[]> {
  const { rows } = await sql.query<{ file_path: string }>(
    `select file_path from jobs where status = any($1::text[]) and file_path is not null`,
    [unfinishedStatuses],
  );
  return rows.map((row) => row.file_path);
}

/**
 * Jobs that finished before the cutoff: their working data and error rows may be pruned. A final
 * status never changes again, so the answer stays true while retention works through it.
 */
export async function jobsFinishedBefore(sql: JobSql, cutoff: Date): Promise<string[]> {
  const { rows } = await sql.query<{ id: string }>(
    `select id from jobs where finished_at < $1 and status <> all($2::text[]) order by seq`,
    [cutoff, unfinishedStatuses],
  );
  return rows.map((row) => row.id);
}

/** From acceptance to the end of the latest finished job of a kind, in milliseconds: what the benchmark reports. */
export async function lastJobDurationMs(sql: JobSql, kind: JobKind): Promise<number | null> {
  const { rows } = await sql.query<{ ms: number }>(
    `select (extract(epoch from finished_at - created_at) * 1000)::float8 as ms
     from jobs where kind = $1 and finished_at is not null order by seq desc limit 1`,
    [kind],
  );
  return rows[0]?.ms ?? null;
}
