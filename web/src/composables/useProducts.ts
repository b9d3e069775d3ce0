import type { Product, ProductList } from '@catalog/domain';
import { onScopeDispose, type Ref, ref, shallowRef, watch } from 'vue';
import { ApiError } from '../api/errors';
import { catalogEventsUrl, listProducts } from '../api/products';
import { useToastStore } from '../stores/toasts';
import { type ProductsQuery, toSearchParams } from '../utils/productsQuery';
import { useApiClient } from './useApiClient';

export interface UseProductsOptions {
  /**
   * The API refused the page's cursor (it was made for other filters, or is mangled): typically a
   * shared or bookmarked link. The caller moves to a page that needs none.
   */
  onStaleCursor: () => void;
}

/** A 400 that names the cursor (made for other filters, or mangled), not another part of the query. */
function refusesCursor(error: ApiError): boolean {
  const { details } = error;
  const issues = typeof details === 'object' && details !== null && 'issues' in details ? details.issues : null;
  return (
    error.status === 400 &&
    Array.isArray(issues) &&
    issues.some(
      (issue: unknown) => typeof issue === 'object' && issue !== null && Reflect.get(issue, 'parameter') === 'cursor',
    )
  );
}

/**
 * The page of products for the current query. Reloads when the query changes (a newer request
 * aborts the older one) and whenever the server pushes `catalog-changed` (an import or a
 * delete-all finished), so the grid is never stale and never polls.
 */
export function useProducts(query: Ref<ProductsQuery>, { onStaleCursor }: UseProductsOptions) {
  const api = useApiClient();
  const toasts = useToastStore();
  const list = shallowRef<ProductList | null>(null);
  const loading = ref(false);
  let controller: AbortController | null = null;

  async function refresh(): Promise<void> {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    loading.value = true;
    const asked = query.value;
    try {
      list.value = await listProducts(api, toSearchParams(asked), current.signal);
    } catch (error) {
      // Anything else was aborted by a newer request; the old page stays.
      if (!(error instanceof ApiError)) return;
      if (asked.cursor && refusesCursor(error)) onStaleCursor();
      else toasts.error(error.message);
    } finally {
      if (controller === current) loading.value = false;
    }
  }

  /** Puts a saved product in place without reloading the page. */
  function replace(product: Product): void {
    if (!list.value) return;
    list.value = { ...list.value, items: list.value.items.map((item) => (item.id === product.id ? product : item)) };
  }

  const events = new EventSource(catalogEventsUrl);
  events.addEventListener('catalog-changed', () => void refresh());
  onScopeDispose(() => {
    events.close();
    controller?.abort();
  });

  watch(query, () => void refresh(), { immediate: true, deep: true });
  return { list, loading, refresh, replace };
}
