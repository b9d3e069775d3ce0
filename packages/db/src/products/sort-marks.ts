import type { ProductFilter, ProductSortField } from '@catalog/domain';
import { type SqlQuery, sortKeys } from './list-sql';

/**
 * Sort position marks: every MARK_SPACING-th product of a sort (ascending, within a scope) with its
 * key as text and id, built from one snapshot together with `sum(product_counts.changes)`. While
 * that sum has not moved, no product changed, so the marks are exact and a page at any depth is a
 * keyset seek to the nearest mark plus a walk of less than a spacing (see readWalk).
 *
 * Spacing: with `active=false` every row walked is a table visit (the sort indexes lack `active`),
 * and rows of the other value are walked past too, so the residual walk must stay short: at 1,000 a
 * set is 5,000 rows at 5M products, and twelve sets are still a small table.
 */
export const MARK_SPACING = 1_000;

/** Which products a set of marks counts: all of them, or those with one `active` value. */
export type MarkScope = 'all' | 'active' | 'inactive';

export const MARK_SCOPES: readonly MarkScope[] = ['all', 'active', 'inactive'];

export type MarkSet = { field: ProductSortField; scope: MarkScope };

export function markScope(filter: ProductFilter): MarkScope {
  if (filter.active === undefined) return 'all';
  return filter.active ? 'active' : 'inactive';
}

/** The products a scope counts, as a WHERE condition ('' for all). */
export function scopeCondition(scope: MarkScope): string {
  if (scope === 'all') return '';
  return scope === 'active' ? 'active' : 'not active';
}

/**
 * The mark a walk to ascending position `position` starts from, and whether the set is fresh:
 * its `changes` equal both the counter this request's total was read with (`changes`: positions
 * count from that total) and the counter now. No row: the set was never built.
 * `towardEnd`: the nearest mark before the position (an ascending walk); else the nearest after it
 * (a descending walk). Either way the walk then goes forward in the order the page is read.
 */
export function nearestMarkQuery(set: MarkSet, changes: number, position: number, towardEnd: boolean): SqlQuery {
  const [op, order] = towardEnd ? ['<', 'desc'] : ['>', 'asc'];
  return {
    text: `select s.changes = $3::bigint and s.changes = (select coalesce(sum(changes), 0) from product_counts)
                  and s.definition = $5 as fresh,
                  m.position::float8 as position, m.key, m.id::float8 as id
           from product_sort_mark_sets s
           left join lateral (
             select position, key, id from product_sort_marks
             where field = s.field and scope = s.scope and position ${op} $4::bigint
             order by position ${order} limit 1
           ) m on true
           where s.field = $1 and s.scope = $2`,
    values: [set.field, set.scope, changes, position, markDefinition(set.field)],
  };
}

/**
 * The sort key a set's marks were built with, stored beside them: a set built with another key
 * (before a deploy that changed `sortKeys`) is never taken for fresh, changed products or not.
 */
export function markDefinition(field: ProductSortField): string {
  return sortKeys[field].columns.join(', ');
}

export type NearestMark = { fresh: boolean; position: number | null; key: string | null; id: number | null };
