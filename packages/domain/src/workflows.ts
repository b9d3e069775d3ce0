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
  webhookLane: 'WebhookLaneWorkflow',
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
  /** "Messages may be due": sent to a webhook lane by the dispatcher, redeliver and recover. */
  laneWake: 'laneWake',
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
 * Webhook lanes run on a task queue of their own (`<queue>-webhooks`), served by a worker with many
 * activity slots for waiting on receivers, so slow receivers never hold up import or delete work.
 */
export const webhookTaskQueue = (taskQueue: string): string => `${taskQueue}-webhooks`;
/** One lane per endpoint: signal-with-start on this id finds the running lane or starts it. */
export const laneWorkflowId = (endpointId: string): string => `webhook-lane-${endpointId}`;

/** A lane's input: the endpoint, and the batch size (WEBHOOK_LANE_BATCH), fixed per run for determinism. */
export type WebhookLaneInput = {
  endpointId: string;
  batchSize: number;
  /** What a continued-as-new run carries over from the run before it. */
  carry?: LaneCarry;
  /** Batches per run before it continues as new (default 500); tests make it small. */
  batchesPerRun?: number;
};
/** Lane state that outlives a run: a wake-up not acted on yet, the next retry due, the rate limit's next slot. */
export type LaneCarry = { woken: boolean; nextDueAt: number | null; notBefore: number; paused: boolean };
/**
 * A lane wake-up: the ids are hints for the Temporal UI and tests, never payloads; the lane reads the
 * database. `reset`: the endpoint was enabled, which closed its breaker in the database, so a lane
 * paused on the breaker it saw before stops waiting for that probe and runs a batch now.
 */
export type LaneWake = { eventIds: string[]; reset?: boolean };

export type LaneSignalWithStart = {
  workflowId: string;
  taskQueue: string;
  args: [WebhookLaneInput];
  signal: string;
  signalArgs: [LaneWake];
  memo: Record<string, string>;
  staticSummary: string;
};

/**
 * The options of `client.workflow.signalWithStart(workflowTypes.webhookLane, …)`: wakes the
 * endpoint's lane, starting it if it is not running. The memo and summary name the endpoint, so
 * operators find its lane in the Temporal UI.
 */
export function laneSignalWithStart(
  endpoint: { id: string; name: string },
  taskQueue: string,
  batchSize: number,
  eventIds: string[],
): LaneSignalWithStart {
  const input: WebhookLaneInput = { endpointId: endpoint.id, batchSize };
  const wake: LaneWake = { eventIds };
  return {
    workflowId: laneWorkflowId(endpoint.id),
    taskQueue,
    args: [input],
    signal: signalNames.laneWake,
    signalArgs: [wake],
    memo: { endpointId: endpoint.id, endpointName: endpoint.name },
    staticSummary: `Webhook lane of "${endpoint.name}" (${endpoint.id})`,
  };
}
