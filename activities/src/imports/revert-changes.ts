import { type ImportUndo, importUndoConflictSchema } from '@catalog/domain';
import type { PoolClient } from 'pg';

/** Enough for a person to act on; `conflictCount` says how many there are in all. */
const CONFLICTS_LISTED = 100;

/** An inserted product starts at version 1 (the column default), and every later write raises it. */
const INSERTED_VERSION = 1;

type Outcome = { done: number; conflict_count: number; conflicts: unknown };

/**
 * Deletes the products the import inserted and puts back the previous values of those it updated,
 * but only where the product is still exactly as the import wrote it (same id, same version).
 * A restore is a new write: `version` goes up and `updated_at` forward, so a client still holding
 * a pre-import ETag is refused rather than silently matching again. A product changed since is
 * left alone and reported as a conflict.
 *
 * Each statement decides and reports in one go: a row that an edit changes while it runs is
 * re-checked by PostgreSQL against the version condition, skipped, and so reported.
 */
export async function revertImportChanges(client: PoolClient, jobId: string): Promise<ImportUndo> {
  const inserted = await client.query<Outcome>(
    `with ids as (
       select unnest(product_ids) as id from import_undo_inserts where job_id = $1
     ),
     removed as (
       delete from products p using ids
       where p.id = ids.id and p.version = $3
       returning p.id
     ),
     conflicts as (
       select p.sku, 'inserted' as change, 'edited' as reason,
              'Edited since the import inserted it; kept as it is' as message
       from products p join ids on ids.id = p.id
       where p.id not in (select id from removed)
     )
     ${OUTCOME_SELECT('removed')}`,
    [jobId, CONFLICTS_LISTED, INSERTED_VERSION],
  );
  const updated = await client.query<Outcome>(
    `with restored as (
       update products p
       set sku = u.prev_sku, name = u.prev_name, description = u.prev_description, price = u.prev_price,
           active = u.prev_active, version = p.version + 1, updated_at = now()
       from import_undo u
       where u.job_id = $1 and p.id = u.product_id and p.version = u.written_version
       returning p.id
     ),
     conflicts as (
       select coalesce(p.sku, u.prev_sku) as sku, 'updated' as change,
              case when p.id is null then 'deleted' else 'edited' end as reason,
              case when p.id is null then 'Deleted since the import updated it; not restored'
                   else 'Edited since the import updated it; kept as it is' end as message
       from import_undo u left join products p on p.id = u.product_id
       where u.job_id = $1 and u.product_id not in (select id from restored)
     )
     ${OUTCOME_SELECT('restored')}`,
    [jobId, CONFLICTS_LISTED],
  );
  const removed = outcome(inserted.rows[0]);
  const restored = outcome(updated.rows[0]);
  return {
    restored: restored.done,
    removed: removed.done,
    conflictCount: removed.conflictCount + restored.conflictCount,
    conflicts: [...removed.conflicts, ...restored.conflicts]
      .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0))
      .slice(0, CONFLICTS_LISTED),
  };
}

/**
 * Counts of the write CTE `done` and of `conflicts`, with the first conflicts as a JSON array;
 * `$2` is the number listed.
 */
const OUTCOME_SELECT = (done: string) => `
  select (select count(*)::int from ${done}) as done,
         (select count(*)::int from conflicts) as conflict_count,
         coalesce((select json_agg(c) from (select * from conflicts order by sku limit $2) c),
                  '[]') as conflicts`;

function outcome(row: Outcome | undefined) {
  return {
    done: row?.done ?? 0,
    conflictCount: row?.conflict_count ?? 0,
    conflicts: importUndoConflictSchema.array().parse(row?.conflicts ?? []),
  };
}
