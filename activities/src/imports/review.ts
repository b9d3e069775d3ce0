import { importTables, moveJobToReview, requeueReviewedJob } from '@catalog/db';
import type { Attribution, ImportProgress, ReviewCounts, ReviewInvalidated } from '@catalog/domain';
import type { PoolClient } from 'pg';
import type { JobActivityDeps } from '../deps';
import { keepHeartbeating } from '../heartbeat';
import { asJobStep } from '../jobs/running';
import { wakeQueuedJobs } from '../jobs/wake-queued';
import { inTransaction } from '../transaction';
import { SKIPPED } from './copy-row';
import { stagingLost } from './failures';
import { chooseSearchIndexes } from './plan';

export type DiffInput = {
  jobId: string;
  /** The workflow's progress, stored with the job as it enters review (counts only, no row data). */
  progress: ImportProgress;
  /** Set when this diff replaces one that an apply found out of date. */
  invalidated?: ReviewInvalidated;
};
export type VerifyInput = { jobId: string; distinctRows: number };

/**
 * The review table: one row per planned SKU (the row of the file that wins it) and one per invalid
 * or skipped row, in file order, with what the catalog holds now and the version it holds it at.
 * Built in one statement from the plan, so 500k rows take seconds.
 */
const DIFF_SQL = (review: string, final: string, staged: string) => `
  create table ${review} as
  select f.row_no,
         case when p.id is null then 'inserted'
              when (p.sku, p.name, p.description, p.price, p.active)
                   is distinct from (f.sku, f.name, f.description, f.price, f.active) then 'updated'
              else 'unchanged' end as kind,
         f.sku, f.sku_key, f.name, f.description, f.price, f.active,
         p.id as product_id, p.version as product_version,
         p.sku as before_sku, p.name as before_name, p.description as before_description,
         p.price as before_price, p.active as before_active, null::text as reason
  from ${final} f left join products p on p.sku_key = f.sku_key
  union all
  select s.row_no, case when s.error_column = '${SKIPPED}' then 'skipped' else 'invalid' end,
         s.sku, null, null, null, null, null, null, null, null, null, null, null, null, s.error_reason
  from ${staged} s where s.error_reason is not null`;

/**
 * Computes what a reviewed import would do against the catalog as it is now, stores it as the
 * job's review table, makes its working tables survive a PostgreSQL crash (the review may last a
 * day, and apply must not need the file again), and moves the job to `review` so it stops holding
 * the queue; then wakes the jobs queued behind it. Idempotent: a retry builds the table again.
 */
export function createDiffImport(deps: JobActivityDeps) {
  const { db } = deps;
  return async function diffImport({ jobId, progress, invalidated }: DiffInput): Promise<ReviewCounts> {
    const { staged, final, review } = importTables(jobId);
    const stop = keepHeartbeating();
    try {
      const counts = await asJobStep('reviewing it', () =>
        inTransaction(db, async (client) => {
          await client.query(`set local work_mem = '256MB'`);
          await requireTables(client, staged, final);
          await client.query(`drop table if exists ${review}`);
          await client.query(DIFF_SQL(review, final, staged));
          await client.query(`create index on ${review} (kind, row_no)`);
          await client.query(`analyze ${review}`);
          // Rewrites each table once into WAL: seconds for 500k rows, against a re-read of the file.
          await client.query(`alter table ${staged} set logged`);
          await client.query(`alter table ${final} set logged`);
          const counts = await countByKind(client, review);
          await moveJobToReview(client, jobId, {
            ...progress,
            stage: 'review',
            review: counts,
            reviewInvalidated: invalidated ?? null,
          });
          return counts;
        }),
      );
      await wakeQueuedJobs(deps);
      return counts;
    } finally {
      stop();
    }
  };
}

/**
 * In the turn of an applied review, before anything is written: counts the planned rows whose
 * product is no longer as the review saw it (another id, another version, or one where there was
 * none). None: the review stands, and the search indexes are prepared for the load as planImport
 * would have. Some: the caller computes the diff again and goes back to review.
 */
export function createVerifyReview({ db }: JobActivityDeps) {
  return async function verifyReview({ jobId, distinctRows }: VerifyInput): Promise<{ rowsChanged: number }> {
    const { staged, final, review } = importTables(jobId);
    const stop = keepHeartbeating();
    try {
      return await asJobStep('verifying its review', () =>
        inTransaction(db, async (client) => {
          await requireTables(client, staged, final, review);
          const changed = await client.query<{ n: number }>(
            `select count(*)::int as n
             from ${review} r left join products p on p.sku_key = r.sku_key
             where r.kind in ('inserted', 'updated', 'unchanged')
               and (p.id is distinct from r.product_id or p.version is distinct from r.product_version)`,
          );
          const rowsChanged = changed.rows[0]?.n ?? 0;
          if (rowsChanged === 0) await chooseSearchIndexes(client, distinctRows);
          return { rowsChanged };
        }),
      );
    } finally {
      stop();
    }
  };
}

/** Someone applied the review: the job queues again, behind every job accepted so far, recording who (and an audit line). */
export function createRequeueReviewedImport({ db }: JobActivityDeps) {
  return async function requeueReviewedImport({ jobId, by }: { jobId: string; by: Attribution }): Promise<void> {
    await asJobStep('applying its review', () =>
      inTransaction(db, async (client) => {
        await requeueReviewedJob(client, jobId, by);
      }),
    );
  };
}

async function requireTables(client: PoolClient, ...tables: string[]): Promise<void> {
  const { rows } = await client.query<{ present: boolean }>(
    `select to_regclass(t) is not null as present from unnest($1::text[]) as t`,
    [tables],
  );
  if (rows.some((row) => !row.present)) throw stagingLost('a working table of the review is missing');
}

async function countByKind(client: PoolClient, review: string): Promise<ReviewCounts> {
  const { rows } = await client.query<{ kind: keyof ReviewCounts; n: number }>(
    `select kind, count(*)::int as n from ${review} group by kind`,
  );
  const counts: ReviewCounts = { inserted: 0, updated: 0, unchanged: 0, invalid: 0, skipped: 0 };
  for (const row of rows) counts[row.kind] = row.n;
  return counts;
}
