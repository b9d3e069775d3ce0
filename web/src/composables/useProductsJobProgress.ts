import type { JobSnapshot, JobStatus } from '@catalog/domain';
import { onScopeDispose, ref, shallowRef } from 'vue';
import { jobEventsUrl } from '../api/products';

const finalStatuses: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

/** A background job's live snapshot from its SSE stream, until its final event. */
export function useJobProgress(onFinished: (job: JobSnapshot) => void) {
  const job = shallowRef<JobSnapshot | null>(null);
  const watching = ref(false);
  let source: EventSource | null = null;

  function stop(): void {
    source?.close();
    source = null;
    watching.value = false;
  }

  function watchJob(id: string): void {
    stop();
    watching.value = true;
    const events = new EventSource(jobEventsUrl(id));
    source = events;
    events.addEventListener('progress', (event: MessageEvent<string>) => {
      job.value = JSON.parse(event.data);
    });
    for (const name of finalStatuses) {
      events.addEventListener(name, (event: MessageEvent<string>) => {
        const final: JobSnapshot = JSON.parse(event.data);
        job.value = final;
        stop();
        onFinished(final);
      });
    }
  }

  onScopeDispose(stop);
  return { job, watching, watchJob, stop };
}
