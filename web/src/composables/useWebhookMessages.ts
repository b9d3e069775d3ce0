import { onScopeDispose, type Ref, ref, shallowRef, watch } from 'vue';
import { listMessages, type MessageState, type WebhookMessage } from '../api/webhooks';
import { useApiClient } from './useApiClient';

/** Messages change state in the worker, not on this page: the shown page is re-read while it is open. */
const REFRESH_MS = 3_000;

/**
 * One endpoint's messages (one per event, whatever its attempts), newest first, optionally of one
 * state, a page at a time. The API pages by cursor: the cursors of the pages before the shown one
 * are kept, so Newer goes back without the API paging backwards.
 */
export function useWebhookMessages(endpointId: Ref<string>) {
  const api = useApiClient();
  const state = ref<MessageState | null>(null);
  const items = shallowRef<WebhookMessage[]>([]);
  const loaded = ref(false);
  /** The cursor each shown-so-far page was read with; the last is the current page's. */
  const cursors = ref<(string | null)[]>([null]);
  const nextCursor = ref<string | null>(null);
  let generation = 0;

  async function refresh(): Promise<void> {
    const asked = ++generation;
    try {
      const page = await listMessages(api, endpointId.value, state.value, cursors.value.at(-1) ?? null);
      // A slow answer for another endpoint, filter or page must not overwrite a newer one.
      if (asked !== generation) return;
      items.value = page.items;
      nextCursor.value = page.nextCursor;
      loaded.value = true;
    } catch {
      // Shown as a toast by the client; the list keeps what it showed.
    }
  }

  function older(): void {
    if (nextCursor.value) cursors.value = [...cursors.value, nextCursor.value];
  }

  function newer(): void {
    if (cursors.value.length > 1) cursors.value = cursors.value.slice(0, -1);
  }

  // Another endpoint or filter starts again from the newest page; a new cursor list reads it.
  watch([endpointId, state], () => {
    cursors.value = [null];
    loaded.value = false;
    items.value = [];
  });
  watch(cursors, () => void refresh(), { immediate: true });
  const timer = setInterval(() => void refresh(), REFRESH_MS);
  onScopeDispose(() => clearInterval(timer));

  const hasNewer = () => cursors.value.length > 1;
  const hasOlder = () => nextCursor.value !== null;
  return { state, items, loaded, refresh, older, newer, hasNewer, hasOlder };
}
