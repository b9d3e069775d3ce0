import type { JobActivityDeps } from './deps';
import { createHousekeepingActivities } from './housekeeping';
import { createApplyImportChunk } from './imports/apply-chunk';
import { createCompensateImport, createFinalizeImport } from './imports/finalize';
import { createPlanImport } from './imports/plan';
import { createDiffImport, createRequeueReviewedImport, createVerifyReview } from './imports/review';
import { createStageImport } from './imports/stage';
import { createJobQueueActivities } from './jobs/queue';
import { createProductActivities } from './products';
import { createUndoActivities } from './undo';

export type { ActivityDeps, JobActivityDeps } from './deps';
export type { HousekeepingActivities } from './housekeeping';
export type { ProductActivities } from './products';
export type { UndoActivities } from './undo';

export function createImportActivities(deps: JobActivityDeps) {
  return {
    ...createJobQueueActivities(deps),
    stageImport: createStageImport(deps),
    planImport: createPlanImport(deps),
    diffImport: createDiffImport(deps),
    requeueReviewedImport: createRequeueReviewedImport(deps),
    verifyReview: createVerifyReview(deps),
    applyImportChunk: createApplyImportChunk(deps),
    finalizeImport: createFinalizeImport(deps),
    compensateImport: createCompensateImport(deps),
  };
}

export type ImportActivities = ReturnType<typeof createImportActivities>;

/** Every activity the worker registers. */
export function createActivities(deps: JobActivityDeps) {
  return {
    ...createImportActivities(deps),
    ...createProductActivities(deps),
    ...createHousekeepingActivities(deps),
    ...createUndoActivities(deps),
  };
}

export type { WebhookActivities } from './webhooks';
