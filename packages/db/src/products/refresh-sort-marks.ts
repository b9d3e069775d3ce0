import type { ProductSortField } from '@catalog/domain';
import type { Pool, PoolClient } from 'pg';
import { sortKeys } from './list-sql';
import { MARK_SPACING, type MarkScope, markDefinition, scopeCondition } from './sort-marks';

/**
 * `built`: the set was replaced. `fresh`: it already matched the products, nothing written.
 * `busy`: another build of the same set is running (here or in another process), so this one
 * skipped.
 */
export type RefreshOutcome = 'built' | 'fresh' | 'busy';
export type RefreshResult = { outcome: RefreshOutcome; marks: number; total: number; ms: number };

/** The advisory lock class of mark builds; the set's name (`field/scope`) is the object. */
const LOCK_CLASS = 0x6d61726b;

/**
 * At 5M products a build reads every row of the scope once (seconds): longer than the API's
 * per-request statement timeout, which the pool's connections carry.
 */
const BUILD_TIMEOUT = '5min';

/**
 * Rebuilds the marks of one sort and scope: the counter and every `spacing`-th key come from one
 * REPEATABLE READ snapshot, so the set's `changes` names exactly the products it was built from.
 * The lock is a session lock taken before that transaction begins: a transaction-scoped one would
 * be taken after the snapshot, and a build that committed in between would be invisible to this
 * one, which would then fail on the rows it replaced.
 */
export async function refreshSortMarks(
  pool: Pool,
  field: ProductSortField,
  scope: MarkScope,
  spacing = MARK_SPACING,
  signal?: AbortSignal,
): Promise<RefreshResult> {
  const started = performance.now();
  const done = (outcome: RefreshOutcome, marks = 0, total = 0) => ({
    outcome,
    marks,
    total,
    ms: Math.round(performance.now() - started),
  });
  const client = await pool.connect();
  let failure: Error | undefined;
  // Shutting down does not wait out a build of several seconds: its statement is cancelled.
  let backend: number | undefined;
  const cancel = () => {
    if (backend !== undefined) pool.query('select pg_cancel_backend($1)', [backend]).catch(() => undefined);
  };
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    signal?.throwIfAborted();
    const lockArgs = [LOCK_CLASS, `${field}/${scope}`];
    const locked = await client.query<{ locked: boolean; backend: number }>(
      `select pg_try_advisory_lock($1, hashtext($2)) as locked, pg_backend_pid() as backend`,
      lockArgs,
    );
    backend = locked.rows[0]?.backend;
    signal?.throwIfAborted();
    if (!locked.rows[0]?.locked) return done('busy');
    try {
      const built = await buildInSnapshot(client, field, scope, spacing);
      return built ? done('built', built.marks, built.total) : done('fresh');
    } finally {
      // An unlock that fails leaves `failure` set, so the connection (and any lock) is discarded,
      // and the build's own error, if any, is the one thrown.
      await client.query(`select pg_advisory_unlock($1, hashtext($2))`, lockArgs).catch((error: unknown) => {
        failure ??= error instanceof Error ? error : new Error(String(error));
      });
    }
  } catch (error) {
    // The connection may still hold the session lock or an aborted transaction: it is not reused.
    failure = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    signal?.removeEventListener('abort', cancel);
    client.release(failure);
  }
}

async function buildInSnapshot(
  client: PoolClient,
  field: ProductSortField,
  scope: MarkScope,
  spacing: number,
): Promise<{ marks: number; total: number } | null> {
  await client.query(`begin isolation level repeatable read`);
  try {
    await client.query(`set local statement_timeout = '${BUILD_TIMEOUT}'`);
    // A set that is not an index-only read sorts its keys (4.5M for `active` at 5M products):
    // mostly in memory rather than in temporary files.
    await client.query(`set local work_mem = '256MB'`);
    const counts = await client.query<{ changes: string; active: string; inactive: string }>(
      `select coalesce(sum(changes), 0)::text as changes, coalesce(sum(active), 0)::text as active,
              coalesce(sum(inactive), 0)::text as inactive
       from product_counts`,
    );
    const { changes = '0', active = '0', inactive = '0' } = counts.rows[0] ?? {};
    const current = await client.query(
      `select 1 from product_sort_mark_sets
       where field = $1 and scope = $2 and changes = $3::bigint and definition = $4`,
      [field, scope, changes, markDefinition(field)],
    );
    if (current.rowCount) {
      await client.query(`commit`);
      return null;
    }
    const total = Number(scope === 'all' ? BigInt(active) + BigInt(inactive) : scope === 'active' ? active : inactive);
    await client.query(`delete from product_sort_marks where field = $1 and scope = $2`, [field, scope]);
    await client.query(
      `insert into product_sort_mark_sets (field, scope, changes, definition, total, spacing, built_at)
       values ($1, $2, $3::bigint, $4, $5, $6, now())
       on conflict (field, scope) do update
         set changes = excluded.changes, definition = excluded.definition, total = excluded.total,
             spacing = excluded.spacing, built_at = excluded.built_at`,
      [field, scope, changes, markDefinition(field), total, spacing],
    );
    const inserted = await client.query(marksInsert(field, scope), [field, scope, spacing]);
    await client.query(`commit`);
    return { marks: inserted.rowCount ?? 0, total };
  } catch (error) {
    await client.query(`rollback`).catch(() => undefined);
    throw error;
  }
}

/** Every `spacing`-th row in ascending sort order, positions from 0 (row_number() - 1). */
function marksInsert(field: ProductSortField, scope: MarkScope): string {
  const key = sortKeys[field];
  const condition = scopeCondition(scope);
  return `insert into product_sort_marks (field, scope, position, key, id)
          select $1, $2, rn - 1, key, id from (
            select ${key.text} as key, id, row_number() over (order by ${key.columns.join(', ')}) as rn
            from products ${condition ? `where ${condition}` : ''}
          ) ranked
          where rn % $3 = 0`;
}
