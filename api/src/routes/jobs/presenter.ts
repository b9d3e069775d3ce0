import type { JobSnapshot } from '@catalog/domain';
import type { JobView } from '../../jobs/job-view';

export function presentJob(view: JobView): JobSnapshot {
  return {
    id: view.id,
    kind: view.kind,
    status: view.status,
    progress: view.progress,
    result: view.result,
    error: view.error,
    createdAt: view.createdAt,
    startedAt: view.startedAt,
    finishedAt: view.finishedAt,
    by: view.by,
  };
}
