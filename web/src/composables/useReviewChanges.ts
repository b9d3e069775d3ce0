import { type Ref, ref, type ShallowRef, shallowRef } from 'vue';
import { listChanges, type ReviewChange, type ReviewKind } from '../api/review';
import { useApiClient } from './useApiClient';

export interface ReviewChanges {
  items: ShallowRef<ReviewChange[]>;
  /** More rows after the ones shown. */
  hasMore: Ref<boolean>;
  loading: Ref<boolean>;
  loaded: Ref<boolean>;
  loadMore(): Promise<void>;
}

/** One kind of a reviewed import's rows, a page at a time (the API's cursor), appended as they come. */
export function useReviewChanges(jobId: string, kind: ReviewKind, pageSize = 50): ReviewChanges {
  const api = useApiClient();
  const items = shallowRef<ReviewChange[]>([]);
  const hasMore = ref(false);
  const loading = ref(false);
  const loaded = ref(false);
  let cursor: string | null = null;

  async function loadMore(): Promise<void> {
    if (loading.value || (loaded.value && !hasMore.value)) return;
    loading.value = true;
    try {
      const page = await listChanges(api, jobId, kind, cursor, pageSize);
      items.value = [...items.value, ...page.items];
      cursor = page.nextCursor;
      hasMore.value = page.nextCursor !== null;
      loaded.value = true;
    } catch {
      // The API client shows why as a toast; Load more stays offered to try again.
      hasMore.value = true;
    } finally {
      loading.value = false;
    }
  }

  return { items, hasMore, loading, loaded, loadMore };
}
