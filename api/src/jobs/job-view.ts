import type { JobRecord } from '@catalog/db';
import type { JobError, JobKind, JobStatus } from '@catalog/domain';

/** A job as plain JSON: what the feed passes between API replicas and what presenters shape. */
export type JobView = {
  id: string;
  kind: JobKind;
  /** The job's workflow in Temporal: what cancel, the progress query and the UI link address. */
  workflowId: string;
  status: JobStatus;
  fileName: string | null;
  fileSize: number | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  progress: Record<string, unknown> | null;
  result: Record<string, unknown> | null;
  error: JobError | null;
  /** Who asked for the job (the actor's label); null for jobs accepted before jobs recorded it. */
  by: string | null;
  /** Who applied a reviewed import (its label); null for every other job. */
  appliedBy: string | null;
};

export function jobViewFromRow(job: JobRecord): JobView {
  return {
    id: job.id,
    kind: job.kind,
    workflowId: job.workflowId,
    status: job.status,
    fileName: job.fileName ?? null,
    fileSize: job.fileSize ?? null,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    progress: job.progress ?? null,
    result: job.result ?? null,
    error: job.error ?? null,
    by: job.actorLabel ?? null,
    appliedBy: job.appliedByLabel ?? null,
  };
}
