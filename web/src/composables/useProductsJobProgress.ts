import type { JobSnapshot } from '@catalog/domain';
import { computed, ref } from 'vue';
import { useJob } from './useJob';

/** The delete-all job the products page started, followed with useJob until its final event. */
export function useJobProgress(onFinished: (job: JobSnapshot) => void) {
  const id = ref<string | null>(null);
  const { snapshot: job, connection } = useJob(id, { onFinished: ({ snapshot }) => onFinished(snapshot) });
  const watching = computed(() => connection.value !== 'idle' && connection.value !== 'closed');

  function watchJob(jobId: string): void {
    id.value = jobId;
  }

  function stop(): void {
    id.value = null;
  }

  return { job, watching, watchJob, stop };
}
