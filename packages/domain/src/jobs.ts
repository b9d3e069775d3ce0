import { z } from 'zod';

/** `undo` takes back a completed import (issue 13); it is itself not undoable. */
export const jobKinds = ['import', 'bulk_delete', 'undo'] as const;
export type JobKind = (typeof jobKinds)[number];

/**
 * `review`: an import asked to be reviewed has staged, planned and computed its diff, and waits for
 * apply or discard without holding the queue (see `queueHoldingStatuses` in the Job module).
 */
export const jobStatuses = ['queued', 'running', 'review', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof jobStatuses)[number];

export const finishedStatuses: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];
export const isFinished = (status: JobStatus): boolean => finishedStatuses.includes(status);

/** Why a job failed or was cancelled: a stable code and a sentence for people. */
export type JobError = { code: string; message: string };

export const jobSnapshotSchema = z.object({
  id: z.string(),
  kind: z.enum(jobKinds),
  status: z.enum(jobStatuses),
  progress: z.record(z.string(), z.unknown()).nullable(),
  result: z.record(z.string(), z.unknown()).nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  by: z.string().nullable().describe('Who asked for the job (a user email or an API key); null for older jobs'),
});

export type JobSnapshot = z.infer<typeof jobSnapshotSchema>;
