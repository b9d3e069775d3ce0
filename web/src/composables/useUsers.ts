import type { Role, UserDto } from '@catalog/domain';
import { ref, shallowRef } from 'vue';
import { createUser, deleteUser, listUsers, type NewUser, updateUser } from '../api/users';
import { useApiClient } from './useApiClient';

/** The users list for admins; every change answers whether it went through (the client toasts why not). */
export function useUsers() {
  const api = useApiClient();
  const items = shallowRef<UserDto[]>([]);
  const loaded = ref(false);

  async function refresh(): Promise<void> {
    try {
      items.value = (await listUsers(api)).items;
      loaded.value = true;
    } catch {
      // Shown as a toast by the client.
    }
  }

  /** Rejects with the API's error, so the form can show it beside the field. */
  async function create(user: NewUser): Promise<UserDto> {
    const created = await createUser(api, user);
    items.value = [...items.value, created];
    return created;
  }

  async function change(id: string, changes: { role?: Role; disabled?: boolean }): Promise<UserDto | null> {
    try {
      const updated = await updateUser(api, id, changes);
      items.value = items.value.map((item) => (item.id === id ? updated : item));
      return updated;
    } catch {
      // The list may be stale (someone else changed it): show what the server has.
      await refresh();
      return null;
    }
  }

  async function remove(id: string): Promise<boolean> {
    try {
      await deleteUser(api, id);
      items.value = items.value.filter((item) => item.id !== id);
      return true;
    } catch {
      return false;
    }
  }

  return { items, loaded, refresh, create, change, remove };
}
