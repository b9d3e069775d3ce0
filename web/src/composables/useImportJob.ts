import type { ImportSummary, JobEventName, JobStatus } from '@catalog/domain';
import { onScopeDispose, ref, shallowRef } from 'vue';
import { ApiError } from '../api/errors';
import { getImport, importEventsUrl } from '../api/imports';
import { useApiClient } from './useApiClient';

const finalEvents = ['completed', 'failed', 'cancelled'] as const satisfies readonly JobEventName[];
const finalStatuses: readonly JobStatus[] = finalEvents;
const retryDelayMs = 3000;

export type JobConnection = 'connecting' | 'live' | 'reconnecting' | 'closed';

export interface JobFinished {
  summary: ImportSummary;
  /** False when the job had already ended before we attached (a replayed final event). */
  watchedLive: boolean;
}

/**
 * Live state of one import from its SSE stream. EventSource reconnects by itself (sending
 * Last-Event-ID); only when the server refuses the stream do we look the job up and retry.
 */
export function useImportJob(id: string, onFinished: (event: JobFinished) => void) {
  const api = useApiClient();
  const summary = shallowRef<ImportSummary | null>(null);
  const connection = ref<JobConnection>('connecting');
  const missing = ref(false);
  let source: EventSource | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let sawUnfinished = false;
  let disposed = false;

  function close(): void {
    source?.close();
    source = null;
  }

  function finish(final: ImportSummary): void {
    close();
    summary.value = final;
    connection.value = 'closed';
    onFinished({ summary: final, watchedLive: sawUnfinished });
  }

  function update(next: ImportSummary): void {
    if (finalStatuses.includes(next.status)) {
      finish(next);
      return;
    }
    sawUnfinished = true;
    summary.value = next;
  }

  function connect(): void {
    const events = new EventSource(importEventsUrl(id));
    source = events;
    events.addEventListener('open', () => {
      connection.value = 'live';
    });
    events.addEventListener('progress', (event: MessageEvent<string>) => {
      update(JSON.parse(event.data));
    });
    for (const name of finalEvents) {
      events.addEventListener(name, (event: MessageEvent<string>) => finish(JSON.parse(event.data)));
    }
    events.addEventListener('error', () => {
      if (events.readyState === EventSource.CONNECTING) connection.value = 'reconnecting';
      else void recover();
    });
  }

  async function recover(): Promise<void> {
    close();
    connection.value = 'reconnecting';
    try {
      const latest = await getImport(api, id);
      update(latest);
      if (finalStatuses.includes(latest.status)) return;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        missing.value = true;
        connection.value = 'closed';
        return;
      }
    }
    if (!disposed) retryTimer = setTimeout(connect, retryDelayMs);
  }

  onScopeDispose(() => {
    disposed = true;
    clearTimeout(retryTimer);
    close();
  });

  connect();
  return { summary, connection, missing };
}
