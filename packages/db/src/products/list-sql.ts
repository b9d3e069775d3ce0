import type { ProductFilter, ProductSortField } from '@catalog/domain';

/**
 * The SQL behind one page of the Products grid, as pure functions so the benchmark can run exactly
 * the statements the API runs (the plan that picks among them is list-products.ts).
 *
 * Three shapes of page:
 * - `walkQuery`: the sort index walked from the start, a cursor or a sort position mark (see
 *   sort-marks.ts), then an offset; used when nothing or only `active` filters (the unfiltered
 *   total comes from `product_counts`), and for text filters with more matches than the GIN read
 *   takes or no trigram to look up. A sku filter in sku order, or a name filter in name order, is
 *   checked in the index without reading rows.
 * - `scanQuery`: a bounded walk of the sort index, then the text filter over those rows. A common
 *   word fills the page after a few hundred rows, whatever its selectivity beyond that.
 * - `matchesQuery`: the trigram GIN bitmap, up to a cap of matches sorted in memory, with their
 *   exact count. Taken when the bounded walk did not fill the page, so the matches are likely few
 *   (the planner cannot estimate trigram selectivity, so the choice is made here, by measurement).
 */
export type SqlQuery = { text: string; values: unknown[] };

export const PRODUCT_COLUMNS = 'id, sku, name, description, price, active, version, created_at, updated_at';

/**
 * Products without a price sort after every priced one (PostgreSQL's NULLS LAST), as this value:
 * above numeric(12, 2)'s largest, and it keeps the price key non-null so a cursor is a plain
 * row comparison the index can seek to.
 */
const NO_PRICE = '10000000000000::numeric';

type SortKey = {
  /** The key as the sort index spells it (with `id` as tie-breaker unless the key is unique). */
  columns: string[];
  /** The first column as text, carried in cursors. */
  text: string;
  /** Casts a text parameter back to the first column's type. */
  cast: (param: string) => string;
};

export const sortKeys: Record<ProductSortField, SortKey> = {
  sku: { columns: ['sku_key'], text: 'sku_key::text', cast: (p) => `(${p}::text collate "C")` },
  name: {
    columns: ['(lower(left(name, 200)) collate "C")', 'id'],
    text: 'lower(left(name, 200))',
    cast: (p) => `(${p}::text collate "C")`,
  },
  price: {
    columns: [`coalesce(price, ${NO_PRICE})`, 'id'],
    text: `coalesce(price, ${NO_PRICE})::text`,
    cast: (p) => `${p}::numeric`,
  },
  updatedAt: { columns: ['updated_at', 'id'], text: 'updated_at::text', cast: (p) => `${p}::timestamptz` },
};

/** Where a page starts: after (or, descending, before) the row with this sort key and id. */
export type Seek = { key: string; id: number };

/** One page request in the order rows are read: `descending` already accounts for going backwards. */
export type PageSpec = {
  field: ProductSortField;
  descending: boolean;
  /** Reading toward the start of the list (a previous page): rows come back last-first. */
  backward: boolean;
  seek: Seek | null;
  offset: number;
  limit: number;
};

/** `%term%` for ILIKE, with the term's own % _ and \ matched literally. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function textTerms(filter: ProductFilter): string[] {
  return [filter.sku, filter.name, filter.description, filter.q].filter((term): term is string => !!term);
}

export function hasTextFilter(filter: ProductFilter): boolean {
  return textTerms(filter).length > 0;
}

/**
 * Whether the trigram indexes can narrow the text filters: pg_trgm looks up the trigrams of a
 * term's runs of letters and digits, so a term without three in a row (`_`, `-1`, `ab`) gives it
 * nothing to look up, and reading "through the index" becomes reading the table.
 */
export function trigramsNarrow(filter: ProductFilter): boolean {
  return textTerms(filter).some((term) => /[\p{L}\p{N}]{3}/u.test(term));
}

type Params = { values: unknown[]; add: (value: unknown) => string };

function params(): Params {
  const values: unknown[] = [];
  return {
    values,
    add: (value) => {
      values.push(value);
      return `$${values.length}`;
    },
  };
}

/**
 * `x ilike p` is, by PostgreSQL's definition, `lower(x) like lower(p)`: on the stored lowercase
 * copies (`sku_key`, `description_lower`) only the pattern is lowered, once. Lowering a 500-character
 * description for every candidate row was most of a text filter's time (about 3x the LIKE); names
 * are short enough to lower as they are read.
 */
const matchers = {
  sku: (term: string) => `sku_key like lower(${term})`,
  name: (term: string) => `name ilike ${term}`,
  description: (term: string) => `description_lower like lower(${term})`,
};

function filterParts(filter: ProductFilter, p: Params, use: 'any index' | 'sort index' = 'any index'): string[] {
  const parts: string[] = [];
  // A walk must stay on the sort index. Given a LIKE it can look up in a trigram index, the planner
  // may read every match through it and sort them instead: at 5M products it did so for `sku=_1`
  // (a lossy bitmap over 700k rows, 1.8 s). `(… like …) is true` keeps the same rows in a WHERE
  // of ANDs, but no index can answer it.
  const text = use === 'sort index' ? (part: string) => `(${part}) is true` : (part: string) => part;
  if (filter.sku) parts.push(text(matchers.sku(p.add(containsPattern(filter.sku)))));
  if (filter.name) parts.push(text(matchers.name(p.add(containsPattern(filter.name)))));
  if (filter.description) parts.push(text(matchers.description(p.add(containsPattern(filter.description)))));
  if (filter.q) {
    const term = p.add(containsPattern(filter.q));
    parts.push(text(`(${matchers.sku(term)} or ${matchers.name(term)} or ${matchers.description(term)})`));
  }
  if (filter.active !== undefined) parts.push(`active = ${p.add(filter.active)}`);
  return parts;
}

/** The WHERE clause (without the keyword, or '' when nothing filters) and its parameters. */
export function whereClause(filter: ProductFilter): { sql: string; values: unknown[] } {
  const p = params();
  return { sql: filterParts(filter, p).join(' and '), values: p.values };
}

function seekPart(spec: PageSpec, p: Params, columns = sortKeys[spec.field].columns): string[] {
  if (!spec.seek) return [];
  const op = spec.descending ? '<' : '>';
  const value = sortKeys[spec.field].cast(p.add(spec.seek.key));
  if (columns.length === 1) return [`${columns[0]} ${op} ${value}`];
  return [`(${columns.join(', ')}) ${op} (${value}, ${p.add(spec.seek.id)}::bigint)`];
}

function orderBy(spec: PageSpec, columns = sortKeys[spec.field].columns): string {
  const direction = spec.descending ? 'desc' : 'asc';
  return columns.map((column) => `${column} ${direction}`).join(', ');
}

const where = (parts: string[]) => (parts.length ? `where ${parts.join(' and ')}` : '');

/**
 * The filter's total when no text filters: columns `active` and `inactive` of `product_counts`, and
 * `changes`, the change counter the sort position marks are checked against (see sort-marks.ts).
 */
export function countsQuery(): SqlQuery {
  return {
    text: `select coalesce(sum(active), 0)::float8 as active, coalesce(sum(inactive), 0)::float8 as inactive,
                  coalesce(sum(changes), 0)::float8 as changes
           from product_counts`,
    values: [],
  };
}

/**
 * The filters the sort index can answer by itself: `sku_key` is the sku sort's key, and the name
 * sort's index includes `name`. A walk filtered by one of them skips non-matching entries without
 * visiting their rows (a match far along in sku order cost a table visit per skipped row).
 */
const indexedFilters: Record<ProductSortField, (keyof ProductFilter)[]> = {
  sku: ['sku'],
  name: ['name'],
  price: [],
  updatedAt: [],
};

export function sortIndexCovers(filter: ProductFilter, field: ProductSortField): boolean {
  return (Object.keys(filter) as (keyof ProductFilter)[]).every(
    (key) => filter[key] === undefined || filter[key] === '' || indexedFilters[field].includes(key),
  );
}

export function walkQuery(filter: ProductFilter, spec: PageSpec): SqlQuery {
  const text = { ...filter, active: undefined };
  if (filter.active !== undefined && hasTextFilter(text) && sortIndexCovers(text, spec.field)) {
    return keyedWalkQuery(text, filter.active, spec);
  }
  const p = params();
  const conditions = [...filterParts(filter, p, 'sort index'), ...seekPart(spec, p)];
  const paging = `limit ${p.add(spec.limit)} offset ${p.add(spec.offset)}`;
  if (sortIndexCovers(filter, spec.field)) {
    // The page's keys come from an index-only scan (deep offsets and skipped non-matches stay
    // cheap); only the page's rows are read from the table.
    const unique = spec.field === 'sku' ? 'sku_key' : 'id';
    return {
      text: `select ${PRODUCT_COLUMNS}, ${sortKeys[spec.field].text} as sort_key from products
             where ${unique} in (select ${unique} from products ${where(conditions)} order by ${orderBy(spec)} ${paging})
             order by ${orderBy(spec)}`,
      values: p.values,
    };
  }
  return {
    text: `select ${PRODUCT_COLUMNS}, ${sortKeys[spec.field].text} as sort_key from products
           ${where(conditions)} order by ${orderBy(spec)} ${paging}`,
    values: p.values,
  };
}

/**
 * A text filter the sort index answers, with `active`: the index-only walk yields the text
 * matches' keys in order, and only their rows are read, for `active` (a rare `active` value far
 * along the sort order cost a table visit for every row walked past).
 */
function keyedWalkQuery(text: ProductFilter, active: boolean, spec: PageSpec): SqlQuery {
  const p = params();
  const conditions = [...filterParts(text, p, 'sort index'), ...seekPart(spec, p)];
  const columns = sortKeys[spec.field].columns;
  const keys = columns.map((column, i) => `${column} as k${i}`).join(', ');
  // The unique key that finds the row again: sku_key for the sku sort, else the trailing id. Its
  // LIMIT keeps the lookup a nested loop (a merge join would read every row in sort order).
  const unique = spec.field === 'sku' ? 'sku_key' : 'id';
  const direction = spec.descending ? 'desc' : 'asc';
  return {
    text: `select page.* from (select ${keys} from products ${where(conditions)} order by ${orderBy(spec)}) walk
           cross join lateral (
             select ${PRODUCT_COLUMNS}, ${sortKeys[spec.field].text} as sort_key from products
             where ${unique} = walk.k${columns.length - 1} and active = ${p.add(active)}
             limit 1
           ) page
           order by ${columns.map((_, i) => `walk.k${i} ${direction}`).join(', ')}
           limit ${p.add(spec.limit)} offset ${p.add(spec.offset)}`,
    values: p.values,
  };
}

/** At most `scanRows` rows in sort order, then the filter; fewer than `limit` back means "not filled". */
export function scanQuery(filter: ProductFilter, spec: PageSpec, scanRows: number): SqlQuery {
  const p = params();
  const seek = seekPart(spec, p);
  const scan = p.add(scanRows);
  const filters = filterParts(filter, p);
  // The walk hands its sort key out as columns and the page is ordered by them: ordered by the
  // key's expression again (name, price), the planner sorted all `scanRows` rows instead of
  // stopping at the page's last match (170 ms instead of 30 for a 1% term in name order).
  const keys = sortKeys[spec.field].columns.map((column, i) => ({ column, alias: `k${i}` }));
  const walked = keys.map(({ column, alias }) => `${column} as ${alias}`).join(', ');
  const order = orderBy(
    spec,
    keys.map(({ alias }) => alias),
  );
  return {
    text: `select ${PRODUCT_COLUMNS}, ${sortKeys[spec.field].text} as sort_key
           from (select ${PRODUCT_COLUMNS}, sku_key, description_lower, ${walked} from products ${where(seek)} order by ${orderBy(spec)} limit ${scan}) scanned
           ${where(filters)} order by ${order} limit ${p.add(spec.limit)} offset ${p.add(spec.offset)}`,
    values: p.values,
  };
}

/** How many rows `scanQuery` walked: fewer than `scanRows` means it reached the end of the list. */
export function scannedRowsQuery(spec: PageSpec, scanRows: number): SqlQuery {
  const p = params();
  const seek = seekPart(spec, p);
  return {
    text: `select count(*)::float8 as rows from (select 1 from products ${where(seek)} order by ${orderBy(spec)} limit ${p.add(scanRows)}) scanned`,
    values: p.values,
  };
}

/**
 * Every match through the GIN indexes, sorted in memory; each row also carries `match_count`, and
 * `text_count`: the rows the text filters matched, read only up to `cap` + 1. Above `cap` the
 * caller walks the sort index instead, so the GIN path never reads more than `cap` + 1 rows, and
 * the exact count of a few matches costs no block sample first (`active` narrows the matches after
 * the cap, so a common word with a rare `active` value is bounded too).
 */
export function matchesQuery(filter: ProductFilter, spec: PageSpec, cap: number): SqlQuery {
  const p = params();
  const text = filterParts({ ...filter, active: undefined }, p);
  const active = filter.active === undefined ? [] : [`active = ${p.add(filter.active)}`];
  // Only ids and sort keys are kept and sorted (whole rows with long descriptions spill to disk).
  const key = sortKeys[spec.field];
  const keyColumns = key.columns.length === 1 ? ['key'] : ['key', 'id'];
  const seek = seekPart(spec, p, keyColumns);
  return {
    text: `with text_matches as materialized (
             select id, ${key.columns[0]} as key, active from products ${where(text)} limit ${p.add(cap + 1)}),
           matches as (select id, key from text_matches ${where(active)}),
           page_ids as (select id from matches ${where(seek)} order by ${orderBy(spec, keyColumns)}
                        limit ${p.add(spec.limit)} offset ${p.add(spec.offset)})
           select counted.match_count, counted.text_count, page.* from (
             select (select count(*) from matches)::float8 as match_count,
                    (select count(*) from text_matches)::float8 as text_count
           ) counted
           left join lateral (
             select ${PRODUCT_COLUMNS}, ${key.text} as sort_key from products where id in (select id from page_ids)
             order by ${orderBy(spec)}
           ) page on true`,
    values: p.values,
  };
}

/**
 * Matches in a block sample of about `sampleRows` rows: `hits` of `seen`. REPEATABLE keeps the
 * estimate steady from page to page while the table does not change.
 */
export function sampleQuery(filter: ProductFilter, percent: number): SqlQuery {
  const p = params();
  const sample = p.add(percent);
  const filters = filterParts(filter, p);
  return {
    text: `select count(*) filter (where ${filters.join(' and ')})::float8 as hits, count(*)::float8 as seen
           from products tablesample system (${sample}) repeatable (11)`,
    values: p.values,
  };
}
