import type { ImportActivities } from '@catalog/activities';
import { failureTypes } from '@catalog/domain/workflows';
import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';

/**
 * Long data steps heartbeat; a worker killed mid-step is noticed within the heartbeat timeout and
 * the step runs again elsewhere (each is idempotent). Cancellation waits for the activity to
 * acknowledge, so compensation never races a chunk that is still writing.
 */
export const dataSteps = proxyActivities<ImportActivities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '20 seconds',
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: {
    initialInterval: '1 second',
    maximumInterval: '30 seconds',
    maximumAttempts: 20,
    nonRetryableErrorTypes: [failureTypes.badFile, failureTypes.stagingLost],
  },
});

/** Finalize and compensate touch every row of a large import: long, heartbeating, retried until done. */
export const settlement = proxyActivities<ImportActivities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});
