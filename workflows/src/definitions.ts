import type {
  Attribution,
  BulkDeleteProgress,
  BulkDeleteResult,
  ImportProgress,
  ImportResult,
  JobError,
  JobStatus,
  MappingPlan,
  UndoProgress,
  UndoResult,
} from '@catalog/domain';
import { type LaneWake, queryNames, signalNames } from '@catalog/domain/workflows';
import { defineQuery, defineSignal } from '@temporalio/workflow';

/**
 * Signals, queries and the inputs/outputs of every workflow, shared by the worker and the API
 * client. Only ids, paths, offsets and counts cross this boundary: never row data. Their names
 * (and workflow type names, failure types) are plain values in `@catalog/domain`.
 */

/** Where each catalog column sits in the uploaded file, found from its header line at upload time. */
export type ColumnIndexes = { sku: number; name: number; description?: number; price?: number; active?: number };

/** What every job workflow's input carries (see `runJob`). */
export type JobInput = {
  jobId: string;
  /**
   * How long a queued job waits for a `jobTurn` signal before it looks at the queue again anyway:
   * only a safety net (default 1 minute). In the input, so the workflow stays deterministic and a
   * test can make it short or long.
   */
  turnFallbackMs?: number;
};

export type ImportCsvInput = JobInput & {
  filePath: string;
  fileSize: number;
  delimiter: string;
  chunkRows: number;
  parallelism: number;
  /**
   * A cell or row above these is reported as an unreadable row (IMPORT_MAX_CELL_BYTES / _RECORD_BYTES).
   * Absent in the input of imports started before the limits existed: staging then uses the defaults.
   */
  maxCellBytes?: number;
  maxRecordBytes?: number;
  /**
   * Review before apply: stage, plan and diff, then wait in status `review` for `applyReview` (or
   * a cancel) at most `reviewTimeoutMs` (IMPORT_REVIEW_TIMEOUT), after which it is discarded.
   */
  review?: { timeoutMs: number };
} & ImportColumns;

/**
 * How staging finds the catalog fields in a row, one of two: by header name (`columns`, the
 * multipart upload of a file shaped like ours), or through a mapping chosen for the file
 * (`mapping`, POST /api/imports with an uploadId). The plan holds column indexes and options, never row data.
 */
export type ImportColumns = { columns?: ColumnIndexes; mapping?: MappingPlan };

/** What every job workflow's `progress` query answers: the job's whole live state. */
export type JobState<P = Record<string, unknown>, R = Record<string, unknown>> = {
  status: JobStatus;
  progress: P;
  result: R | null;
  error: JobError | null;
};

export type ImportSnapshot = JobState<ImportProgress, ImportResult>;

/** Sent by the staging activity while it reads the file, so progress lives in workflow state. */
export type StagingProgress = {
  bytesRead: number;
  rowsParsed: number;
  rowsValid: number;
  rowsInvalid: number;
  /** Absent in reports from workers that predate mapped imports. */
  rowsSkipped?: number;
};

export const progressQuery = defineQuery<JobState>(queryNames.progress);
export const stagingProgressSignal = defineSignal<[StagingProgress]>(signalNames.stagingProgress);
export const jobTurnSignal = defineSignal(signalNames.jobTurn);
/** Apply a reviewed import: who applied it travels along (recorded with the job and in the audit log). */
export const applyReviewSignal = defineSignal<[Attribution]>(signalNames.applyReview);

export type { LaneCarry, LaneWake, WebhookLaneInput } from '@catalog/domain/workflows';
export const laneWakeSignal = defineSignal<[LaneWake]>(signalNames.laneWake);
/** One batch of a lane: up to `limit` messages of the endpoint (fewer in ordered mode, under a rate limit or a probe). */
export type LaneBatchInput = { endpointId: string; limit: number };
/** What a batch tells its lane: small, counts and times only. */
export type LaneBatchSummary = {
  /** `disabled` or `gone` ends the lane (its messages stay in the database; a wake-up starts it again). */
  endpoint: 'active' | 'disabled' | 'gone';
  sent: number;
  delivered: number;
  failed: number;
  consecutiveFailures: number;
  circuit: 'closed' | 'open';
  /** Epoch ms of the next retry due (or, breaker open, of the probe); null: nothing pending. */
  nextDueAt: number | null;
  rateLimitPerSecond: number | null;
  /** Epoch ms of the batch's last send, from which the rate limit spaces the next. */
  lastSentAt: number | null;
};
export type LaneEnd = { ended: 'disabled' | 'gone' };

/** Delete-all (`DELETE /api/products`): a job of kind `bulk_delete`. */
export type BulkDeleteInput = JobInput & { batchRows: number; sliceMs: number };
export type BulkDeleteSnapshot = JobState<BulkDeleteProgress, BulkDeleteResult>;

/** Undo of a completed import (`POST /api/imports/:id/undo`): a job of kind `undo`. */
export type UndoImportInput = JobInput & { importId: string; batchRows: number; sliceMs: number };
export type UndoSnapshot = JobState<UndoProgress, UndoResult>;

/**
 * Housekeeping (`HousekeepingWorkflow`), started only by the worker's Temporal Schedules: one
 * workflow type, one task per schedule, so the Schedules page shows each as its own row.
 */
export type HousekeepingInput =
  | { task: 'reap-orphans' }
  /** `retentionDays` travels in the schedule's arguments, so the Temporal UI shows what it prunes. */
  | { task: 'retention'; retentionDays: number; batchRows: number; undoRetentionDays?: number }
  | { task: 'sweep-uploads' };
export type HousekeepingTask = HousekeepingInput['task'];
/** Rows deleted (or tables dropped) and statements run, per table. */
export type PruneCounts = { deleted: number; batches: number };
export type RetentionResult = {
  outboxEvents: PruneCounts;
  webhookDeliveries: PruneCounts;
  /** Delivered messages; pending, failed and held ones are kept. */
  webhookMessages: PruneCounts;
  importErrors: PruneCounts;
  importUndo: PruneCounts;
  importUndoInserts: PruneCounts;
  importUndoLogs: PruneCounts;
  importUndoRuns: PruneCounts;
  importUndoConflicts: PruneCounts;
  importChunks: PruneCounts;
  bulkDeletes: PruneCounts;
  /** Sign-in sessions past their end (they are pruned at once, not after the retention period). */
  expiredSessions: PruneCounts;
  workingTables: PruneCounts;
};
export type HousekeepingResult =
  | { task: 'reap-orphans'; settled: number }
  | ({ task: 'retention' } & RetentionResult)
  | { task: 'sweep-uploads'; removed: number };
