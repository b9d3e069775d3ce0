import type { JobError, JobEventName, JobSnapshot, JobStatus } from '@catalog/domain';
import {
  type ComputedRef,
  computed,
  type MaybeRefOrGetter,
  onScopeDispose,
  type Ref,
  ref,
  type ShallowRef,
  shallowRef,
  toValue,
  watch,
} from 'vue';
import { ApiError } from '../api/errors';
import { anyJob, type JobEndpoints, type JobView } from '../api/jobs';
import { useApiClient } from './useApiClient';

// Spelled here rather than imported: a value import from @catalog/domain pulls zod into the main chunk.
const finalEvents = ['completed', 'failed', 'cancelled'] as const satisfies readonly (JobEventName & JobStatus)[];
const finalStatuses: readonly JobStatus[] = finalEvents;
const isFinished = (status: JobStatus): boolean => finalStatuses.includes(status);
const retryDelayMs = 3000;

/** `idle` while there is no id to follow. */
export type JobConnection = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'closed';

export interface JobFinished<T extends JobView = JobSnapshot> {
  snapshot: T;
  /** False when the job had already ended before we attached (a replayed final event). */
  watchedLive: boolean;
}

export interface UseJobOptions<T extends JobView> {
  endpoints?: JobEndpoints<T>;
  /** Called once per id, with the final snapshot. */
  onFinished?(event: JobFinished<T>): void;
}

export interface LiveJob<T extends JobView> {
  snapshot: ShallowRef<T | null>;
  status: ComputedRef<JobStatus | null>;
  progress: ComputedRef<T['progress'] | null>;
  result: ComputedRef<T['result'] | null>;
  error: ComputedRef<JobError | null>;
  finished: ComputedRef<boolean>;
  connection: Ref<JobConnection>;
  /** The server does not know the job (e.g. a remembered id after a database reset). */
  missing: Ref<boolean>;
}

/**
 * The live state of one job from its SSE stream, for any kind: `GET /api/jobs/:id/events` unless
 * the kind's own endpoints are given. EventSource reconnects by itself (sending Last-Event-ID);
 * only when the server refuses the stream do we look the job up and retry. Following a new id, or
 * the caller's scope ending, closes the stream.
 */
export function useJob(id: MaybeRefOrGetter<string | null>, options?: UseJobOptions<JobSnapshot>): LiveJob<JobSnapshot>;
export function useJob<T extends JobView>(
  id: MaybeRefOrGetter<string | null>,
  options: UseJobOptions<T> & { endpoints: JobEndpoints<T> },
): LiveJob<T>;
export function useJob(id: MaybeRefOrGetter<string | null>, options: UseJobOptions<JobView> = {}): LiveJob<JobView> {
  const api = useApiClient();
  const endpoints = options.endpoints ?? anyJob;
  const snapshot = shallowRef<JobView | null>(null);
  const connection = ref<JobConnection>('idle');
  const missing = ref(false);
  let stream: EventSource | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let sawUnfinished = false;
  // The id being followed: a lookup that answers after the id changed (or the scope ended) is dropped.
  let following: string | null = null;

  function close(): void {
    clearTimeout(retryTimer);
    stream?.close();
    stream = null;
  }

  function finish(final: JobView): void {
    close();
    snapshot.value = final;
    connection.value = 'closed';
    options.onFinished?.({ snapshot: final, watchedLive: sawUnfinished });
  }

  function update(next: JobView): void {
    if (isFinished(next.status)) {
      finish(next);
      return;
    }
    sawUnfinished = true;
    snapshot.value = next;
  }

  function connect(jobId: string): void {
    const events = new EventSource(endpoints.eventsUrl(jobId));
    stream = events;
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
      else void recover(jobId);
    });
  }

  async function recover(jobId: string): Promise<void> {
    close();
    connection.value = 'reconnecting';
    try {
      const latest = await endpoints.fetch(api, jobId);
      if (jobId !== following) return;
      update(latest);
      if (isFinished(latest.status)) return;
    } catch (error) {
      if (jobId !== following) return;
      if (error instanceof ApiError && error.status === 404) {
        missing.value = true;
        connection.value = 'closed';
        return;
      }
    }
    retryTimer = setTimeout(() => connect(jobId), retryDelayMs);
  }

  function follow(jobId: string | null): void {
    close();
    following = jobId;
    snapshot.value = null;
    missing.value = false;
    sawUnfinished = false;
    connection.value = jobId === null ? 'idle' : 'connecting';
    if (jobId !== null) connect(jobId);
  }

  watch(() => toValue(id), follow, { immediate: true });
  onScopeDispose(() => follow(null));

  return {
    snapshot,
    status: computed(() => snapshot.value?.status ?? null),
    progress: computed(() => snapshot.value?.progress ?? null),
    result: computed(() => snapshot.value?.result ?? null),
    error: computed(() => snapshot.value?.error ?? null),
    finished: computed(() => snapshot.value !== null && isFinished(snapshot.value.status)),
    connection,
    missing,
  };
}
