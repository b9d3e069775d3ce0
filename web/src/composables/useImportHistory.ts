import type { ImportSummary } from '@catalog/domain';
import { ref, shallowRef } from 'vue';
import { listImports } from '../api/imports';
import { useApiClient } from './useApiClient';

export function useImportHistory() {
  const api = useApiClient();
  const items = shallowRef<ImportSummary[]>([]);
  const loading = ref(false);
  const loaded = ref(false);

  async function refresh(): Promise<void> {
    loading.value = true;
    try {
      items.value = (await listImports(api)).items;
      loaded.value = true;
    } catch {
      // Shown as a toast by the client; the previous list stays on screen.
    } finally {
      loading.value = false;
    }
  }

  return { items, loading, loaded, refresh };
}
