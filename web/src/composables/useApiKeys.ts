import type { ApiKeyDto } from '@catalog/domain';
import { ref, shallowRef } from 'vue';
import { type CreatedApiKey, createApiKey, listApiKeys, type NewApiKey, revokeApiKey } from '../api/apiKeys';
import { listUsers } from '../api/users';
import { useApiClient } from './useApiClient';

/** API keys for admins, newest first, with the email of whoever made each. */
export function useApiKeys() {
  const api = useApiClient();
  const items = shallowRef<ApiKeyDto[]>([]);
  const emails = shallowRef<Map<string, string>>(new Map());
  const loaded = ref(false);

  async function refresh(): Promise<void> {
    try {
      const [keys, users] = await Promise.all([listApiKeys(api), listUsers(api)]);
      items.value = [...keys.items].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      emails.value = new Map(users.items.map((user) => [user.id, user.email]));
      loaded.value = true;
    } catch {
      // Shown as a toast by the client.
    }
  }

  /** Rejects with the API's error, so the form can show it beside the field. */
  async function create(key: NewApiKey): Promise<CreatedApiKey> {
    const created = await createApiKey(api, key);
    const { key: _secret, ...listed } = created;
    items.value = [listed, ...items.value];
    return created;
  }

  async function revoke(id: string): Promise<boolean> {
    try {
      await revokeApiKey(api, id);
      await refresh();
      return true;
    } catch {
      return false;
    }
  }

  /** Who made a key: a user's email, or the command line (`npm run apikey`) when nobody signed in did. */
  const creatorOf = (key: ApiKeyDto): string =>
    key.createdBy ? (emails.value.get(key.createdBy) ?? 'a deleted user') : 'command line';

  return { items, loaded, refresh, create, revoke, creatorOf };
}
