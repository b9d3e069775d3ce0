import type { WebhookDelivery } from '@catalog/domain';
import { onScopeDispose, type Ref, ref, shallowRef, watch } from 'vue';
import { listDeliveries, redeliver as startRedelivery } from '../api/webhooks';
import { useApiClient } from './useApiClient';

const PAGE_SIZE = 20;
/** Deliveries land from the worker, not from this page: the log is re-read while it is open. */
const REFRESH_MS = 3_000;

export function useWebhookDeliveries(endpointId: Ref<string>) {
  const api = useApiClient();
  const items = shallowRef<WebhookDelivery[]>([]);
  const total = ref(0);
  const page = ref(1);
  const loaded = ref(false);
  let generation = 0;

  async function refresh(): Promise<void> {
    const asked = ++generation;
    try {
      const result = await listDeliveries(api, endpointId.value, page.value, PAGE_SIZE);
      // A slow answer for a previous endpoint or page must not overwrite a newer one.
      if (asked !== generation) return;
      items.value = result.items;
      total.value = result.total;
      loaded.value = true;
    } catch {
      // Shown as a toast by the client; the log keeps what it showed.
    }
  }

  async function redeliver(deliveryId: string): Promise<boolean> {
    try {
      await startRedelivery(api, deliveryId);
      return true;
    } catch {
      return false;
    }
  }

  watch(endpointId, () => {
    page.value = 1;
    loaded.value = false;
    items.value = [];
  });
  watch([endpointId, page], () => void refresh(), { immediate: true });
  const timer = setInterval(() => void refresh(), REFRESH_MS);
  onScopeDispose(() => clearInterval(timer));

  const pages = () => Math.max(1, Math.ceil(total.value / PAGE_SIZE));
  return { items, total, page, pages, loaded, refresh, redeliver };
}
