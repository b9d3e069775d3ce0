import type { WebhookSecret } from '@catalog/domain';
import { type Ref, ref, watch } from 'vue';
import { revealSecret, rotateSecret } from '../api/webhooks';
import { useApiClient } from './useApiClient';

/** The signing secret is fetched only when asked for, and forgotten when another endpoint is shown. */
export function useWebhookSecret(endpointId: Ref<string>) {
  const api = useApiClient();
  const secret = ref<WebhookSecret | null>(null);
  const busy = ref(false);

  watch(endpointId, () => {
    secret.value = null;
  });

  async function run(action: (id: string) => Promise<WebhookSecret>): Promise<boolean> {
    busy.value = true;
    try {
      secret.value = await action(endpointId.value);
      return true;
    } catch {
      return false;
    } finally {
      busy.value = false;
    }
  }

  return {
    secret,
    busy,
    reveal: () => run((id) => revealSecret(api, id)),
    rotate: () => run((id) => rotateSecret(api, id)),
    hide: () => {
      secret.value = null;
    },
  };
}
