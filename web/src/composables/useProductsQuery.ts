import { computed } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { applyChange, type ProductsQuery, parseProductsQuery, toSearchParams } from '../utils/productsQuery';

/**
 * Filters, sort, page size and page (with its cursor when reached by Next/Previous) live in the
 * address, so a view can be shared and survives a reload.
 */
export function useProductsQuery() {
  const route = useRoute();
  const router = useRouter();
  const state = computed(() => parseProductsQuery(route.query));

  function update(changes: Partial<ProductsQuery>): void {
    void router.replace({ query: Object.fromEntries(toSearchParams(applyChange(state.value, changes))) });
  }

  return { state, update };
}
