import { workflowTypes } from '@catalog/domain';
import type { HousekeepingInput, HousekeepingResult, HousekeepingTask } from '@catalog/workflows';
import {
  type Client,
  ScheduleAlreadyRunning,
  type ScheduleOptions,
  type ScheduleOptionsStartWorkflowAction,
  ScheduleOverlapPolicy,
} from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { RETENTION_BATCH_ROWS } from './retention';

/** The workflow's signature, for typed schedule arguments (its code is only in the workflow bundle). */
type HousekeepingWorkflow = (input: HousekeepingInput) => Promise<HousekeepingResult>;

export type HousekeepingScheduleOptions = {
  /** The worker's task queue; also names the schedules, so `catalog` gives `catalog-orphan-reaper`. */
  taskQueue: string;
  retentionDays: number;
  /** UNDO_RETENTION_DAYS: how long a completed import can be undone (its undo data is kept). */
  undoRetentionDays?: number;
};

type Plan = { name: string; every: Duration; input: HousekeepingInput; timeout: Duration; catchup: Duration };

/**
 * What runs when. A missed tick older than its catch-up window is dropped rather than run late, and
 * a tick while the previous run is still going (a down worker leaves it waiting) is skipped, so a
 * worker or server coming back after an outage runs each task once, not once per missed tick.
 */
function plans({ retentionDays, undoRetentionDays }: HousekeepingScheduleOptions): Plan[] {
  return [
    {
      name: 'orphan-reaper',
      every: '1 minute',
      input: { task: 'reap-orphans' },
      timeout: '10 minutes',
      catchup: '1 minute',
    },
    {
      name: 'retention',
      every: '1 hour',
      input: { task: 'retention', retentionDays, batchRows: RETENTION_BATCH_ROWS, undoRetentionDays },
      timeout: '6 hours',
      catchup: '10 minutes',
    },
    {
      name: 'upload-janitor',
      every: '1 hour',
      input: { task: 'sweep-uploads' },
      timeout: '1 hour',
      catchup: '10 minutes',
    },
  ];
}

export const housekeepingScheduleId = (taskQueue: string, name: string): string => `${taskQueue}-${name}`;

export type HousekeepingSchedule = { scheduleId: string; task: HousekeepingTask };

/**
 * Creates each housekeeping schedule, or updates it to this worker's settings when it exists (a
 * restart, another worker, a changed RETENTION_DAYS); a schedule paused from the Temporal UI stays
 * paused. Safe to run from several workers at once: a create that loses the race becomes an update.
 */
export async function ensureHousekeepingSchedules(
  client: Client,
  options: HousekeepingScheduleOptions,
): Promise<HousekeepingSchedule[]> {
  const ensured: HousekeepingSchedule[] = [];
  for (const plan of plans(options)) {
    const scheduleId = housekeepingScheduleId(options.taskQueue, plan.name);
    const action: ScheduleOptionsStartWorkflowAction<HousekeepingWorkflow> = {
      type: 'startWorkflow',
      workflowType: workflowTypes.housekeeping,
      // The schedule appends the tick's time, so each run has an id of its own.
      workflowId: scheduleId,
      taskQueue: options.taskQueue,
      args: [plan.input],
      workflowExecutionTimeout: plan.timeout,
    };
    const desired = {
      spec: { intervals: [{ every: plan.every }] },
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: plan.catchup, pauseOnFailure: false },
    } satisfies Omit<ScheduleOptions, 'scheduleId'>;
    try {
      await client.schedule.create({ scheduleId, ...desired });
    } catch (error: unknown) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, ...desired }));
    }
    ensured.push({ scheduleId, task: plan.input.task });
  }
  return ensured;
}
