import type { ListRequest } from '@catalog/db';
import type { ProductFilter, ProductSort } from '@catalog/domain';
import type pg from 'pg';
import { mulberry32 } from './catalog-csv';
import { vocabulary } from './catalog-vocabulary';

/** The selectivities every text filter is measured at: about 0.01%, 1%, 10% and 50% of products. */
const TARGETS = [0.0001, 0.01, 0.1, 0.5];
const RANKS = [1, 2, 3, 4, 6, 9, 14, 20, 30, 45, 70, 100, 150, 230, 350, 500, 800, 1_200, 2_000, 3_000, 3_999];
const SKU_CANDIDATES = [
  '-',
  '_',
  '0',
  '1',
  '00',
  '12',
  '-0',
  '123',
  '-00',
  '_1',
  '1234',
  'ab',
  'abc',
  '-001',
  '12345',
  '7919',
  'a_1',
  'zz_',
];

type TextField = 'sku' | 'name' | 'description' | 'q';
export type Term = { term: string; percent: number };
export type Terms = Record<TextField, Term[]>;

/**
 * For each text filter, the candidate whose share of matching products (in a 5% block sample of
 * the loaded table) is nearest each target. Words come from the catalog's own vocabulary.
 */
export async function pickTerms(pool: pg.Pool, seed = 42): Promise<Terms> {
  const words = vocabulary(mulberry32(seed + 1)).words;
  const wordCandidates = RANKS.map((rank) => words[rank - 1] ?? '');
  const terms = {} as Terms;
  for (const field of ['sku', 'name', 'description', 'q'] as const) {
    const candidates = field === 'sku' ? SKU_CANDIDATES : wordCandidates;
    const matches = (i: number) =>
      field === 'q' ? `sku ilike $${i} or name ilike $${i} or description ilike $${i}` : `${field} ilike $${i}`;
    const counts = candidates.map((_, i) => `count(*) filter (where ${matches(i + 1)})::float8 as c${i}`).join(', ');
    const { rows } = await pool.query<Record<string, number>>(
      `select count(*)::float8 as seen, ${counts} from products tablesample system (5) repeatable (3)`,
      candidates.map((term) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`),
    );
    const row = rows[0] ?? {};
    const seen = Math.max(1, Number(row.seen));
    const measured = candidates.map((term, i) => ({ term, percent: (100 * Number(row[`c${i}`] ?? 0)) / seen }));
    terms[field] = TARGETS.map((target) => {
      const distance = (share: number) => Math.abs(Math.log(Math.max(share, 1e-7) / target));
      return measured.reduce((best, each) =>
        distance(each.percent / 100) < distance(best.percent / 100) ? each : best,
      );
    });
  }
  return terms;
}

type Kind = { name: string; selectivity: string; query: string; request: ListRequest; next?: boolean };

const sorts: Record<string, ProductSort> = {
  sku: { field: 'sku', direction: 'asc' },
  'name:asc': { field: 'name', direction: 'asc' },
  'price:desc': { field: 'price', direction: 'desc' },
  'updatedAt:desc': { field: 'updatedAt', direction: 'desc' },
};

function kind(
  name: string,
  filter: ProductFilter,
  options: { sort?: string; page?: number; next?: boolean; share?: number } = {},
): Kind {
  const sort = options.sort ?? 'sku';
  const page = options.page ?? 1;
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) query.set(key, String(value));
  if (sort !== 'sku') query.set('sort', sort);
  if (page !== 1) query.set('page', String(page));
  query.set('pageSize', '50');
  return {
    name,
    selectivity:
      options.share === undefined
        ? ''
        : `${options.share < 0.1 ? options.share.toFixed(3) : options.share.toFixed(1)}%`,
    query: query.toString(),
    request: { filter, sort: sorts[sort] ?? { field: 'sku', direction: 'asc' }, page, pageSize: 50 },
    next: options.next,
  };
}

/** The requests the bench measures, "next" ones to be resolved to the first page's nextCursor. */
export function listKinds(terms: Terms, total: number): Kind[] {
  const at = (field: TextField, i: number): Term => terms[field][i] ?? { term: 'x', percent: 0 };
  const lastPage = Math.ceil(total / 50);
  const kinds: Kind[] = [
    kind('none, sku', {}),
    ...['name:asc', 'price:desc', 'updatedAt:desc'].map((sort) => kind(`none, ${sort}`, {}, { sort })),
    kind('none, next page', {}, { next: true }),
    kind(`none, last page (page=${lastPage})`, {}, { page: lastPage }),
    kind('none, name:asc, middle page', {}, { sort: 'name:asc', page: Math.ceil(lastPage / 2) }),
    kind('active=false', { active: false }, { share: 10 }),
    kind('active=false, next page', { active: false }, { next: true, share: 10 }),
    // About a tenth of products are inactive: the middle of their list, reached by sort position marks.
    kind(
      'active=false, updatedAt:desc, middle page',
      { active: false },
      { sort: 'updatedAt:desc', page: Math.max(1, Math.ceil(lastPage / 20)), share: 10 },
    ),
  ];
  for (const field of ['sku', 'name', 'description', 'q'] as const) {
    for (const [i, { term, percent }] of terms[field].entries()) {
      kinds.push(kind(`${field}=${term}`, { [field]: term }, { share: percent }));
      if (i === 1) kinds.push(kind(`${field}=${term}, next page`, { [field]: term }, { share: percent, next: true }));
    }
  }
  const name10 = at('name', 2);
  const q1 = at('q', 1);
  const desc50 = at('description', 3);
  kinds.push(
    ...['name:asc', 'price:desc', 'updatedAt:desc'].map((sort) =>
      kind(`name=${name10.term}, ${sort}`, { name: name10.term }, { sort, share: name10.percent }),
    ),
    kind(`name=${name10.term}, next page`, { name: name10.term }, { next: true, share: name10.percent }),
    kind(`name=${name10.term}, page=20`, { name: name10.term }, { page: 20, share: name10.percent }),
    kind(`q=${q1.term}, name:asc`, { q: q1.term }, { sort: 'name:asc', share: q1.percent }),
    kind(`name=${name10.term}&active=false`, { name: name10.term, active: false }),
    kind(`q=${at('q', 0).term}&active=true`, { q: at('q', 0).term, active: true }),
    kind(`description=${desc50.term}&name=${name10.term}`, { description: desc50.term, name: name10.term }),
  );
  return kinds;
}
