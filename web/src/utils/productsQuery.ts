import {
  PRODUCT_PAGE_SIZE_DEFAULT,
  PRODUCT_PAGE_SIZE_MAX,
  type ProductSortField,
  type SortDirection,
} from '@catalog/domain';
import type { LocationQuery } from 'vue-router';

export type ActiveFilter = 'all' | 'active' | 'inactive';
export type TextFilter = 'q' | 'sku' | 'name' | 'description';

/** What the grid shows: filters, sort and which page, as kept in the address. */
export interface ProductsQuery {
  q: string;
  sku: string;
  name: string;
  description: string;
  active: ActiveFilter;
  sortField: ProductSortField;
  sortDirection: SortDirection;
  page: number;
  pageSize: number;
  /** The API's opaque keyset position when the page was reached by Next/Previous; null when by number. */
  cursor: string | null;
}

const sortFields: readonly ProductSortField[] = ['sku', 'name', 'price', 'updatedAt'];
const textFilters: readonly TextFilter[] = ['q', 'sku', 'name', 'description'];

/** The choices of the page-size control, never above what the API answers. */
export const PAGE_SIZE_OPTIONS: readonly number[] = [25, 50, 100, 200].filter((size) => size <= PRODUCT_PAGE_SIZE_MAX);

const text = (query: LocationQuery, key: string): string => {
  const value = query[key];
  return typeof value === 'string' ? value : '';
};

/** Reads the grid's state from the address; anything unusable falls back to the default. */
export function parseProductsQuery(query: LocationQuery): ProductsQuery {
  const [field, direction] = text(query, 'sort').split(':');
  const page = Number.parseInt(text(query, 'page'), 10);
  const pageSize = Number.parseInt(text(query, 'pageSize'), 10);
  const active = text(query, 'active');
  return {
    q: text(query, 'q'),
    sku: text(query, 'sku'),
    name: text(query, 'name'),
    description: text(query, 'description'),
    active: active === 'true' ? 'active' : active === 'false' ? 'inactive' : 'all',
    sortField: sortFields.find((candidate) => candidate === field) ?? 'sku',
    sortDirection: direction === 'desc' ? 'desc' : 'asc',
    page: page >= 1 ? page : 1,
    pageSize: pageSize >= 1 && pageSize <= PRODUCT_PAGE_SIZE_MAX ? pageSize : PRODUCT_PAGE_SIZE_DEFAULT,
    cursor: text(query, 'cursor') || null,
  };
}

/**
 * The API's query (and the address's): defaults are left out so shared links stay short. The page
 * number travels beside a cursor so the address reads as "page 3" and the API can answer it.
 */
export function toSearchParams(state: ProductsQuery, { paging = true } = {}): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of textFilters) if (state[key].trim()) params.set(key, state[key].trim());
  if (state.active !== 'all') params.set('active', state.active === 'active' ? 'true' : 'false');
  if (!paging) return params;
  if (state.sortField !== 'sku' || state.sortDirection !== 'asc')
    params.set('sort', `${state.sortField}:${state.sortDirection}`);
  if (state.pageSize !== PRODUCT_PAGE_SIZE_DEFAULT) params.set('pageSize', String(state.pageSize));
  if (state.page !== 1) params.set('page', String(state.page));
  if (state.cursor) params.set('cursor', state.cursor);
  return params;
}

/**
 * The state after a change. A cursor belongs to the exact view it came from, so every change drops
 * it unless it brings its own (Next/Previous). A new filter or sort starts at page 1; a new page size
 * keeps the first row shown on the page shown.
 */
export function applyChange(state: ProductsQuery, changes: Partial<ProductsQuery>): ProductsQuery {
  const next: ProductsQuery = { ...state, ...changes, cursor: changes.cursor ?? null };
  if (changes.page !== undefined) return next;
  const narrows = Object.keys(changes).some((key) => key !== 'page' && key !== 'pageSize' && key !== 'cursor');
  if (narrows) return { ...next, page: 1 };
  if (changes.pageSize !== undefined && changes.pageSize !== state.pageSize) {
    return { ...next, page: Math.floor(((state.page - 1) * state.pageSize) / changes.pageSize) + 1 };
  }
  return next;
}
