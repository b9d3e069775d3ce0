import type { ProductSortField, SortDirection } from '@catalog/domain';
import { computed } from 'vue';
import { type LocationQuery, useRoute, useRouter } from 'vue-router';

export type ActiveFilter = 'all' | 'active' | 'inactive';
export type TextFilter = 'q' | 'sku' | 'name' | 'description';

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
}

const sortFields: readonly ProductSortField[] = ['sku', 'name', 'price', 'updatedAt'];
const textFilters: readonly TextFilter[] = ['q', 'sku', 'name', 'description'];
const DEFAULT_PAGE_SIZE = 50;

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
    pageSize: pageSize >= 1 && pageSize <= 200 ? pageSize : DEFAULT_PAGE_SIZE,
  };
}

/** The API's query (and the address's): defaults are left out so shared links stay short. */
export function toSearchParams(state: ProductsQuery, { paging = true } = {}): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of textFilters) if (state[key].trim()) params.set(key, state[key].trim());
  if (state.active !== 'all') params.set('active', state.active === 'active' ? 'true' : 'false');
  if (!paging) return params;
  if (state.sortField !== 'sku' || state.sortDirection !== 'asc')
    params.set('sort', `${state.sortField}:${state.sortDirection}`);
  if (state.page !== 1) params.set('page', String(state.page));
  if (state.pageSize !== DEFAULT_PAGE_SIZE) params.set('pageSize', String(state.pageSize));
  return params;
}

/**
 * Filters, sort and page live in the address, so a view can be shared and survives a reload.
 * Changing a filter or the sort goes back to page 1.
 */
export function useProductsQuery() {
  const route = useRoute();
  const router = useRouter();
  const state = computed(() => parseProductsQuery(route.query));

  function update(changes: Partial<ProductsQuery>): void {
    const resetsPage = Object.keys(changes).some((key) => key !== 'page' && key !== 'pageSize');
    const next = { ...state.value, ...changes, ...(resetsPage && changes.page === undefined ? { page: 1 } : {}) };
    void router.replace({ query: Object.fromEntries(toSearchParams(next)) });
  }

  return { state, update };
}
