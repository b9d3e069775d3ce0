import type { AuditEntry } from '@catalog/domain';
import { ref, shallowRef } from 'vue';
import { type AuditQuery, listAudit } from '../api/audit';
import { ApiError } from '../api/errors';
import { useApiClient } from './useApiClient';

const PAGE_SIZE = 25;

/**
 * The audit log, a page at a time, newest first. The API pages with a cursor that only goes to
 * older entries, so the cursors of the pages seen are kept to step back to newer ones.
 */
export function useAuditLog() {
  const api = useApiClient();
  const items = shallowRef<AuditEntry[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const nextCursor = ref<string | null>(null);
  /** The cursor each page was read with (null: the newest page); the last one is the page shown. */
  const trail = ref<(string | null)[]>([null]);
  let query: AuditQuery = { action: '', actorId: '', targetType: '', targetId: '', from: '', to: '' };
  let generation = 0;

  async function read(cursor: string | null): Promise<boolean> {
    const asked = ++generation;
    loading.value = true;
    try {
      const page = await listAudit(api, query, cursor, PAGE_SIZE);
      if (asked !== generation) return false;
      items.value = page.items;
      nextCursor.value = page.nextCursor;
      error.value = null;
      return true;
    } catch (failure) {
      if (asked !== generation) return false;
      items.value = [];
      nextCursor.value = null;
      error.value =
        failure instanceof ApiError && failure.status === 403
          ? 'Only admins can read the audit log.'
          : failure instanceof Error
            ? failure.message
            : String(failure);
      return false;
    } finally {
      if (asked === generation) {
        loading.value = false;
        loaded.value = true;
      }
    }
  }

  async function show(next: AuditQuery): Promise<void> {
    query = { ...next };
    trail.value = [null];
    await read(null);
  }

  async function older(): Promise<void> {
    const cursor = nextCursor.value;
    if (cursor && (await read(cursor))) trail.value = [...trail.value, cursor];
  }

  async function newer(): Promise<void> {
    if (trail.value.length < 2) return;
    const previous = trail.value.slice(0, -1);
    if (await read(previous.at(-1) ?? null)) trail.value = previous;
  }

  return { items, loaded, loading, error, nextCursor, trail, show, older, newer };
}
