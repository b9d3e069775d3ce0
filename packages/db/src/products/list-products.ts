import type { ProductFilter, ProductList, ProductSort, TotalRelation } from '@catalog/domain';
import type { Pool } from 'pg';
import { decodeCursor, encodeCursor, type ListCursor } from './list-cursor';
import {
  countsQuery,
  hasTextFilter,
  matchesQuery,
  type PageSpec,
  type SqlQuery,
  sampleQuery,
  scannedRowsQuery,
  scanQuery,
  sortIndexCovers,
  trigramsNarrow,
  walkQuery,
} from './list-sql';
import { type ProductRow, productFromRow } from './product-rows';
import { MARK_SPACING, type MarkSet, markScope, type NearestMark, nearestMarkQuery } from './sort-marks';

export type ListRequest = {
  filter: ProductFilter;
  sort: ProductSort;
  page: number;
  pageSize: number;
  /** From an earlier answer's nextCursor / prevCursor; wins over `page`. */
  cursor?: string;
};

/**
 * `scanRows`: how many rows a text-filtered page walks in sort order before it takes the GIN path
 * instead: a page fills within it for words in more than ~5% of rows, and the second walk below
 * catches the common words it misses. Every rare term pays for it first (about 5 ms at 500k).
 * `walkRows`: when that walk found some matches but not a page, how far a second walk may go if
 * their density says it will fill the page there (matches in more than ~0.5% of rows): cheaper
 * than the GIN read from there on, at 500k and more so at 5M, and bounded if they cluster.
 * `exactUpTo`: as long as the matches seen predict no more than this many in all, the GIN read
 * is taken instead of that second walk: little dearer there, it counts them exactly.
 * `sampleRows`: the block sample that estimates a total the walk did not count: ±20% at 1% (the
 * answer says "about"), and on a common word it was most of the request at twice the size.
 * `inMemoryMatches`: up to this many text matches, they are read through the GIN indexes and
 * sorted in memory (exact total); the read stops one row past it, and walking the sort index
 * finds a page sooner.
 * `markFrom`: a page without text filters at least this many rows from both ends of the list
 * starts from the nearest sort position mark (see sort-marks.ts) instead of walking the sort index
 * from the nearer end; nearer an end, that walk is as cheap as the walk from a mark.
 */
export type ListTuning = {
  scanRows: number;
  walkRows: number;
  sampleRows: number;
  inMemoryMatches: number;
  exactUpTo: number;
  markFrom: number;
};
export const DEFAULT_LIST_TUNING: ListTuning = {
  scanRows: 1_000,
  walkRows: 20_000,
  sampleRows: 2_500,
  inMemoryMatches: 10_000,
  exactUpTo: 2_000,
  markFrom: 2 * MARK_SPACING,
};

/**
 * Told when a deep page found its sort's marks stale or missing (and so walked the sort index):
 * the caller decides whether and when to rebuild them (see refreshSortMarks). Listing never starts
 * that work itself.
 */
export type StaleMarksHandler = (set: MarkSet) => void;

type PageRow = ProductRow & { sort_key: string; match_count?: number; text_count?: number };
type Estimate = { total: number; totalRelation: TotalRelation };
type Read = {
  rows: PageRow[];
  before: boolean;
  after: boolean;
  exactTotal: number | null;
  estimate?: Estimate;
  fromMatches?: boolean;
};

/**
 * One page of the Products grid. Totals: exact from `product_counts` without a text filter, exact
 * from the GIN matches when those were read, otherwise estimated from a block sample ("about")
 * and never below what paging has already shown ("gte" when the estimate falls short).
 */
export async function listProducts(
  pool: Pool,
  request: ListRequest,
  tuning = DEFAULT_LIST_TUNING,
  onStaleMarks?: StaleMarksHandler,
): Promise<ProductList> {
  const { filter, sort, pageSize } = request;
  const shape = { filter, sort, pageSize };
  const cursor = request.cursor ? decodeCursor(request.cursor, shape) : null;
  const page = cursor?.page ?? request.page;
  const backward = cursor?.backward ?? false;
  const spec: PageSpec = {
    field: sort.field,
    descending: (sort.direction === 'desc') !== backward,
    backward,
    seek: cursor ? { key: cursor.key, id: cursor.id } : null,
    offset: cursor ? 0 : (page - 1) * pageSize,
    limit: pageSize + 1,
  };
  const counts = await firstRow<{ active: number; inactive: number; changes: number }>(pool, countsQuery());
  const tableTotal = (counts?.active ?? 0) + (counts?.inactive ?? 0);
  const countedTotal = filter.active === undefined ? tableTotal : filter.active ? counts?.active : counts?.inactive;

  const read = hasTextFilter(filter)
    ? await readFiltered(pool, filter, spec, cursor, tableTotal, tuning)
    : await readWalk(pool, filter, spec, cursor !== null, {
        total: countedTotal ?? 0,
        changes: counts?.changes ?? 0,
        markFrom: tuning.markFrom,
        onStaleMarks,
      });
  if (backward && !read.before) {
    // Fewer rows than a page before the boundary (rows were deleted or added meanwhile): show
    // the true first page rather than a short one that claims a page number.
    return listProducts(pool, { filter, sort, pageSize, page: 1 }, tuning, onStaleMarks);
  }
  const rows = backward ? read.rows.slice(0, pageSize).reverse() : read.rows.slice(0, pageSize);
  const first = rows[0];
  const last = rows.at(-1);
  const cursorAt = (row: PageRow, towardStart: boolean) =>
    encodeCursor(
      {
        key: row.sort_key,
        id: Number(row.id),
        backward: towardStart,
        page: towardStart ? page - 1 : page + 1,
        fromMatches: read.fromMatches === true,
      },
      shape,
    );
  const shown = (page - 1) * pageSize + rows.length + (read.after ? 1 : 0);
  const total: Estimate =
    read.exactTotal !== null
      ? { total: read.exactTotal, totalRelation: 'eq' }
      : atLeastShown(read.estimate ?? (await estimateMatches(pool, filter, tableTotal, tuning)), shown);
  return {
    items: rows.map(productFromRow),
    page,
    pageSize,
    total: total.total,
    totalExact: total.totalRelation === 'eq',
    totalRelation: total.totalRelation,
    nextCursor: read.after && last ? cursorAt(last, false) : null,
    prevCursor: read.before && first ? cursorAt(first, true) : null,
  };
}

/** The counted products a walk pages through, and what it needs to use the sort position marks. */
type WalkContext = { total: number; changes: number; markFrom: number; onStaleMarks?: StaleMarksHandler };

/**
 * Nothing but `active` filters: the sort index from a cursor; a deep page from the nearest fresh
 * sort position mark; otherwise the page from the list's nearer end.
 */
async function readWalk(
  pool: Pool,
  filter: ProductFilter,
  spec: PageSpec,
  seeking: boolean,
  context: WalkContext,
): Promise<Read> {
  const { total } = context;
  if (seeking) {
    const rows = await allRows<PageRow>(pool, walkQuery(filter, spec));
    return edges(rows, spec, true, total);
  }
  const pageSize = spec.limit - 1;
  if (spec.offset >= total) return { rows: [], before: false, after: false, exactTotal: total };
  const limit = Math.min(pageSize, total - spec.offset);
  const fromEnd = total - spec.offset - limit;
  const sides = { before: spec.offset > 0, after: spec.offset + limit < total, exactTotal: total };
  if (Math.min(spec.offset, fromEnd) >= context.markFrom) {
    const fromMark = await markedWindow(pool, filter, { ...spec, limit }, context);
    if (fromMark) return { ...sides, rows: await allRows<PageRow>(pool, walkQuery(filter, fromMark)) };
  }
  const reversed = fromEnd < spec.offset;
  const window = reversed ? { ...spec, descending: !spec.descending, offset: fromEnd, limit } : { ...spec, limit };
  const rows = await allRows<PageRow>(pool, walkQuery(filter, window));
  if (reversed) rows.reverse();
  return { ...sides, rows };
}

/**
 * The page's window as a seek from the nearest mark and a walk of less than a spacing, or null when
 * the marks are stale or missing (the caller is told) or none lies on the walk's side. Positions
 * are ascending: a descending page's first row is at `total - 1 - offset`, and its walk starts at
 * the nearest mark after that. The seek is strictly past the mark, hence the `- 1`.
 * The mark is checked against the counter the total was read with; the page itself is one more
 * statement, so a change committed in between shifts it as it would shift any walk by offset.
 */
async function markedWindow(
  pool: Pool,
  filter: ProductFilter,
  spec: PageSpec,
  context: WalkContext,
): Promise<PageSpec | null> {
  const set: MarkSet = { field: spec.field, scope: markScope(filter) };
  const towardEnd = !spec.descending;
  const position = towardEnd ? spec.offset : context.total - 1 - spec.offset;
  const mark = await firstRow<NearestMark>(pool, nearestMarkQuery(set, context.changes, position, towardEnd));
  if (!mark?.fresh) {
    context.onStaleMarks?.(set);
    return null;
  }
  if (mark.position === null || mark.key === null || mark.id === null) return null;
  const residual = towardEnd ? position - mark.position - 1 : mark.position - position - 1;
  return { ...spec, seek: { key: mark.key, id: Number(mark.id) }, offset: residual };
}

/**
 * A text filter. Terms the trigram indexes cannot look up, when the sort index holds their
 * column, walk that index at once. Otherwise first a bounded walk in sort order: a common word
 * fills the page there (a word in more than ~0.5% of rows may need a longer walk, which the
 * matches seen predict). If not, the GIN indexes are read up to the cap: few matches are sorted
 * in memory (exact total, and no block sample); more than the cap, spread thin or clustered away
 * from the start, are found by walking on, with a sampled estimate. A cursor from a page read
 * through the matches skips the bounded walks: the next page is most likely there too.
 */
async function readFiltered(
  pool: Pool,
  filter: ProductFilter,
  spec: PageSpec,
  cursor: ListCursor | null,
  tableTotal: number,
  tuning: ListTuning,
): Promise<Read> {
  const seeking = cursor !== null;
  // The sort index holds the text-filtered column but the trigram indexes cannot narrow the term:
  // walking that index (visiting only matching rows, for `active`) beats reading the table, and a
  // bounded walk first would only repeat its start.
  if (sortIndexCovers({ ...filter, active: undefined }, spec.field) && !trigramsNarrow(filter))
    return walkOn(pool, filter, spec, seeking, tableTotal, tuning);
  if (!cursor?.fromMatches) {
    // An offset page needs the rows before it too: assume at least one row in ten matches.
    const scanRows = tuning.scanRows + spec.offset * 10;
    const scanned = await allRows<PageRow>(pool, scanQuery(filter, spec, scanRows));
    if (scanned.length === spec.limit) return edges(scanned, spec, seeking, null);
    // From the start of the list the walk covered min(table, scanRows) rows: only a walk from a
    // cursor needs counting to tell whether it reached the end.
    const walkedRows = seeking
      ? Number((await firstRow<{ rows: number }>(pool, scannedRowsQuery(spec, scanRows)))?.rows ?? 0)
      : Math.min(tableTotal, scanRows);
    if (walkedRows < scanRows) {
      // The walk reached the end of the list: these are all the matches on that side.
      const wholeList = !seeking && spec.offset === 0 && !spec.backward;
      return edges(scanned, spec, seeking, wholeList ? scanned.length : null);
    }
    // The matches met so far predict more than are worth counting, and the page within `walkRows`
    // rows: walk on that far (twice what they predict; on an offset page they are not all seen).
    // Per row a walk costs about half what the GIN read costs per match, and the GIN read has a
    // fixed cost that grows with the table (at 500k, 1% of descriptions: a 12 ms walk and a 5 ms
    // sample against a 33 ms read; at 5M a 0.1% term's read was 180 ms). When they predict half
    // the matches the GIN read takes or more (a guess from a handful of matches: it may well
    // overflow), that read would likely stop at its cap: walk the whole `walkRows` even if the
    // page was predicted further (a 0.9% name at 5M met 2 in its first 1,000 rows, and took 80–
    // 220 ms through the capped read). Fewer matches are cheap enough through the GIN read, which
    // counts them exactly.
    const near = spec.offset === 0 && scanned.length > 0;
    const predicted = (2 * scanRows * spec.limit) / Math.max(1, scanned.length);
    const matches = (scanned.length / scanRows) * tableTotal;
    const overflows = matches >= tuning.inMemoryMatches / 2;
    if (near && matches > tuning.exactUpTo && (predicted <= tuning.walkRows || overflows)) {
      const walkRows = Math.ceil(Math.min(predicted, tuning.walkRows));
      const walked = await allRows<PageRow>(pool, scanQuery(filter, spec, walkRows));
      if (walked.length === spec.limit) return edges(walked, spec, seeking, null);
    }
  }
  const matched = await allRows<PageRow>(pool, matchesQuery(filter, spec, tuning.inMemoryMatches));
  const head = matched[0];
  if (Number(head?.text_count ?? 0) <= tuning.inMemoryMatches) {
    const rows = matched.filter((row) => row.id !== null);
    return { ...edges(rows, spec, seeking, Number(head?.match_count ?? 0)), fromMatches: true };
  }
  return walkOn(pool, filter, spec, seeking, tableTotal, tuning);
}

/** Many matches, or ones the GIN indexes cannot find: the sort index walked to the page, the total sampled. */
async function walkOn(
  pool: Pool,
  filter: ProductFilter,
  spec: PageSpec,
  seeking: boolean,
  tableTotal: number,
  tuning: ListTuning,
): Promise<Read> {
  const estimate = await estimateMatches(pool, filter, tableTotal, tuning);
  return { ...edges(await allRows<PageRow>(pool, walkQuery(filter, spec)), spec, seeking, null), estimate };
}

/**
 * Which sides of the page have more rows, given `limit` (pageSize + 1) rows asked for in reading
 * order. A cursor's page always has rows on the side it was reached from.
 */
function edges(rows: PageRow[], spec: PageSpec, seeking: boolean, exactTotal: number | null): Read {
  const more = rows.length === spec.limit;
  if (spec.backward) return { rows, before: more, after: true, exactTotal };
  return { rows, before: seeking || spec.offset > 0, after: more, exactTotal };
}

/** Matches in a block sample scaled to the table; exact when the sample is the whole table. */
async function estimateMatches(
  pool: Pool,
  filter: ProductFilter,
  tableTotal: number,
  tuning: ListTuning,
): Promise<Estimate> {
  const percent = Math.min(100, (100 * tuning.sampleRows) / Math.max(1, tableTotal));
  const sample = await firstRow<{ hits: number; seen: number }>(pool, sampleQuery(filter, percent));
  const hits = Number(sample?.hits ?? 0);
  const seen = Number(sample?.seen ?? 0);
  if (percent >= 100) return { total: hits, totalRelation: 'eq' };
  return { total: seen > 0 ? roundToTwoFigures((hits / seen) * tableTotal) : 0, totalRelation: 'about' };
}

/** An estimate never claims fewer matches than paging has shown: then it is "at least" those. */
function atLeastShown(estimate: Estimate, shown: number): Estimate {
  if (estimate.totalRelation === 'eq' || estimate.total > shown) return estimate;
  return { total: shown, totalRelation: 'gte' };
}

function roundToTwoFigures(value: number): number {
  if (value < 100) return Math.round(value);
  const unit = 10 ** (Math.floor(Math.log10(value)) - 1);
  return Math.round(value / unit) * unit;
}

async function allRows<R extends object>(pool: Pool, query: SqlQuery): Promise<R[]> {
  return (await pool.query<R>(query.text, query.values)).rows;
}

async function firstRow<R extends object>(pool: Pool, query: SqlQuery): Promise<R | undefined> {
  return (await allRows<R>(pool, query))[0];
}
