import type { WebhookTestResult } from '@catalog/domain';
import { onScopeDispose, ref, shallowRef } from 'vue';
import { ApiError } from '../api/errors';
import {
  createWebhook,
  deleteWebhook,
  listWebhooks,
  recoverMessages,
  testWebhook,
  updateWebhook,
  type WebhookEndpointView,
  type WebhookInput,
} from '../api/webhooks';
import { useToastStore } from '../stores/toasts';
import { useApiClient } from './useApiClient';

const REFRESH_MS = 5_000;

export type TestState = { phase: 'running' } | { phase: 'done'; result: WebhookTestResult };

/** The endpoint list and what can be done to an endpoint; failures reach the user as toasts from the client. */
export function useWebhooks() {
  const api = useApiClient();
  const toasts = useToastStore();
  const items = shallowRef<WebhookEndpointView[]>([]);
  const loaded = ref(false);
  const tests = ref<Record<string, TestState>>({});

  async function refresh(): Promise<void> {
    try {
      items.value = (await listWebhooks(api)).items;
      loaded.value = true;
    } catch {
      // Shown as a toast by the client; the previous list stays on screen.
    }
  }

  function replace(endpoint: WebhookEndpointView): void {
    const known = items.value.some((item) => item.id === endpoint.id);
    items.value = known
      ? items.value.map((item) => (item.id === endpoint.id ? endpoint : item))
      : [...items.value, endpoint];
  }

  /** Rejects with the ApiError, for the form to show. */
  async function save(id: string | null, input: WebhookInput): Promise<WebhookEndpointView> {
    const endpoint = id ? await updateWebhook(api, id, input) : await createWebhook(api, input);
    replace(endpoint);
    return endpoint;
  }

  async function setEnabled(id: string, enabled: boolean): Promise<void> {
    try {
      replace(await updateWebhook(api, id, { enabled }));
    } catch (error) {
      // Quiet in the API module (the form shows its own errors), so the toast is raised here.
      if (error instanceof ApiError) toasts.error(error.message);
    }
  }

  async function remove(id: string): Promise<boolean> {
    try {
      await deleteWebhook(api, id);
      items.value = items.value.filter((item) => item.id !== id);
      return true;
    } catch {
      return false;
    }
  }

  async function test(id: string): Promise<void> {
    tests.value = { ...tests.value, [id]: { phase: 'running' } };
    try {
      tests.value = { ...tests.value, [id]: { phase: 'done', result: await testWebhook(api, id) } };
    } catch {
      const { [id]: _dropped, ...rest } = tests.value;
      tests.value = rest;
    }
  }

  /** How many failed or held messages were queued again; rejects with the ApiError, for the dialog to show. */
  async function recover(id: string, since: string): Promise<number> {
    const { recovered } = await recoverMessages(api, id, since);
    // The endpoint's state and last delivery change as the recovered messages go out.
    void refresh();
    return recovered;
  }

  // Deliveries happen in the worker: the status and last delivery of each endpoint are re-read while the page is open.
  const timer = setInterval(() => void refresh(), REFRESH_MS);
  onScopeDispose(() => clearInterval(timer));

  return { items, loaded, tests, refresh, save, setEnabled, remove, test, recover };
}
