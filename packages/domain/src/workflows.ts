import type { JobKind } from './jobs';

/**
 * The names the API, the worker and the workflow code share: workflow types, task queues,
 * workflow ids, signals, queries and the failure types activities raise. Plain values, so the
 * API and activities never import workflow code to learn a name.
 */
export const workflowTypes = {
  importCsv: 'ImportCsvWorkflow',
  bulkDelete: 'BulkDeleteWorkflow',
  undoImport: 'UndoImportWorkflow',
  housekeeping: 'HousekeepingWorkflow',
  webhookDelivery: 'WebhookDeliveryWorkflow',
} as const;

/** Failure types raised by activities that workflows react to by name. */
export const failureTypes = {
  /** Unlogged staging data vanished (a PostgreSQL crash truncates unlogged tables): stage again. */
  stagingLost: 'StagingLost',
  badFile: 'BadFile',
  /** The job's row is not (or no longer) running, e.g. marked failed before the start was confirmed: touch nothing. */
  jobNotRunning: 'JobNotRunning',
  /** An import's undo log was pruned (UNDO_RETENTION_DAYS) before its undo took its turn. */
  undoExpired: 'UndoExpired',
} as const;

export const signalNames = {
  /** Staging progress, sent by the staging activity twice a second. */
  stagingProgress: 'stagingProgress',
  /** "A job ahead of you ended": a queued job looks at the queue again at once. */
  jobTurn: 'jobTurn',
  /** A reviewed import is to be applied (carries who applied it); ignored unless it waits in review. */
  applyReview: 'applyReview',
} as const;

export const queryNames = { progress: 'progress' } as const;

/** What each job kind's workflow id starts with, so the Temporal UI tells them apart at a glance. */
export const jobWorkflowIdPrefixes: Record<JobKind, string> = {
  import: 'import',
  bulk_delete: 'delete-all',
  undo: 'undo',
};
export const jobWorkflowId = (kind: JobKind, jobId: string): string => `${jobWorkflowIdPrefixes[kind]}-${jobId}`;

/**
 * Webhook deliveries run on a task queue of their own (`<queue>-webhooks`), served by a worker with
 * many slots for waiting on receivers, so slow receivers never hold up import or delete work.
 */
export const webhookTaskQueue = (taskQueue: string): string => `${taskQueue}-webhooks`;
/** One workflow per event and endpoint: starting it twice is refused, so an event is never sent as two messages. */
export const deliveryWorkflowId = (eventId: string, endpointId: string): string => `delivery-${eventId}-${endpointId}`;
