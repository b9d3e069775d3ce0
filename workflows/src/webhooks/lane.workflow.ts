import type { WebhookActivities } from '@catalog/activities';
import { condition, continueAsNew, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import { type LaneEnd, laneWakeSignal, type WebhookLaneInput } from '../definitions';

/**
 * A batch waits on receivers (up to WEBHOOK_TIMEOUT_MS per round of sends), keeps sending while
 * messages arrive (up to a minute, lingering WEBHOOK_LANE_LINGER_MS when idle) and heartbeats every
 * 2 s, so a dead worker is noticed within 20 s and the batch runs again elsewhere; it resends only
 * the messages still pending. Retried without end: the database or a worker being away is not a reason
 * to stop a lane.
 */
const lane = proxyActivities<WebhookActivities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const BATCHES_PER_RUN = 500;
/** A batch that sent nothing while a retry looked due (clocks a little apart) waits at least this long. */
const IDLE_RECHECK_MS = 1_000;

/**
 * One endpoint's delivery lane. It waits until woken (the dispatcher, redeliver or recover signal
 * new messages) or until its next retry is due, runs a batch, and waits again. Wake-ups that arrive
 * while a batch runs fold into one. The database holds every message and its schedule; the lane
 * holds only when to look next, the rate limit's next slot and whether its breaker is open, which
 * it carries into the next run when it continues as new. It ends when its endpoint is disabled or
 * deleted; signal-with-start brings it back.
 */
export async function WebhookLaneWorkflow(input: WebhookLaneInput): Promise<LaneEnd> {
  let woken = input.carry?.woken ?? false;
  let nextDueAt = input.carry?.nextDueAt ?? null;
  let notBefore = input.carry?.notBefore ?? 0;
  let paused = input.carry?.paused ?? false;
  // A reset that lands while a batch runs outranks that batch's view of the breaker, which it read
  // before the endpoint was enabled.
  let resetDuringBatch = false;
  setHandler(laneWakeSignal, (wake) => {
    woken = true;
    if (wake.reset) {
      paused = false;
      resetDuringBatch = true;
    }
  });
  // An open breaker ignores wake-ups until its probe is due, unless nothing was pending (then a
  // wake-up brings the first message, and the batch says when the probe is), or the wake-up resets
  // it (the endpoint was enabled: its breaker is closed in the database).
  const wakeable = () => woken && (!paused || nextDueAt === null);

  const batchesPerRun = input.batchesPerRun ?? BATCHES_PER_RUN;
  for (let batch = 0; batch < batchesPerRun && !workflowInfo().continueAsNewSuggested; batch++) {
    while (!(wakeable() || (nextDueAt !== null && nextDueAt <= Date.now()))) {
      if (nextDueAt === null) await condition(wakeable);
      else await condition(wakeable, nextDueAt - Date.now());
    }
    woken = false;
    if (notBefore > Date.now()) await sleep(notBefore - Date.now());

    resetDuringBatch = false;
    const summary = await lane.deliverBatch({ endpointId: input.endpointId, limit: input.batchSize });
    if (summary.endpoint !== 'active') return { ended: summary.endpoint };
    paused = summary.circuit === 'open' && !resetDuringBatch;
    nextDueAt = summary.nextDueAt;
    if (summary.sent === 0 && nextDueAt !== null) nextDueAt = Math.max(nextDueAt, Date.now() + IDLE_RECHECK_MS);
    // The rate limit: sends are spaced 1/rate s apart within a batch, and across batches from here.
    notBefore =
      summary.rateLimitPerSecond !== null && summary.lastSentAt !== null
        ? summary.lastSentAt + Math.ceil(1_000 / summary.rateLimitPerSecond)
        : 0;
  }
  return continueAsNew<typeof WebhookLaneWorkflow>({ ...input, carry: { woken, nextDueAt, notBefore, paused } });
}
