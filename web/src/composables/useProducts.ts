import type { Product, ProductList } from '@catalog/domain';
import { onScopeDispose, type Ref, ref, shallowRef, watch } from 'vue';
import { catalogEventsUrl, listProducts } from '../api/products';
import { useApiClient } from './useApiClient';
import { type ProductsQuery, toSearchParams } from './useProductsQuery';

/**
 * The page of products for the current query. Reloads when the query changes (a newer request
 * aborts the older one) and whenever the server pushes `catalog-changed` (an import or a
 * delete-all finished), so the grid is never stale and never polls.
 */
export function useProducts(query: Ref<ProductsQuery>) {
  const api = useApiClient();
  const list = shallowRef<ProductList | null>(null);
  const loading = ref(false);
  let controller: AbortController | null = null;

  async function refresh(): Promise<void> {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    loading.value = true;
    try {
      list.value = await listProducts(api, toSearchParams(query.value), current.signal);
    } catch {
      // Aborted by a newer request, or shown as a toast by the client; the old page stays.
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
