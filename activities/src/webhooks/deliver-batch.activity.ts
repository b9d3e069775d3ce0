import { nextDueAt, type SecretBox } from '@catalog/db';
import type { WebhookSettings } from '@catalog/domain';
import type { LaneBatchInput, LaneBatchSummary } from '@catalog/workflows';
import { Context } from '@temporalio/activity';
import type { ActivityDeps } from '../deps';
import { keepHeartbeating } from '../heartbeat';
import type { LaneBell } from './lane-bell';
import { type LaneRound, runLaneRound } from './lane-round';

/** Deliveries also open the endpoints' signing secrets, and hear of new messages on the bell. */
export type DeliveryDeps = ActivityDeps & { secrets: SecretBox; bell: LaneBell };

/**
 * A busy lane's batch returns after this long at most, so its workflow's history records progress
 * and it picks up a changed setting; well inside the activity's 15 minutes.
 */
const BATCH_RUN_MS = 60_000;

const ended = (endpoint: 'disabled' | 'gone'): LaneBatchSummary => ({
  endpoint,
  sent: 0,
  delivered: 0,
  failed: 0,
  consecutiveFailures: 0,
  circuit: 'closed',
  nextDueAt: null,
  rateLimitPerSecond: null,
  lastSentAt: null,
});

/**
 * A batch of an endpoint's lane: rounds of sends (see runLaneRound) for as long as messages keep
 * coming, up to BATCH_RUN_MS. When nothing is due it lingers up to `laneLingerMs` for the bell, so
 * a steady stream costs one activity a minute rather than a Temporal signal and activity per
 * message. It returns at once when an attempt did not deliver or the breaker opened: retries and
 * the breaker are the workflow's to schedule. Idempotent: a batch run again (its worker died) reads
 * the messages still pending, so a message is repeated only if its attempt was not recorded, under
 * the same `webhook-id`.
 */
export function createDeliverBatch({ db, secrets, bell }: DeliveryDeps, settings: WebhookSettings) {
  return async function deliverBatch(input: LaneBatchInput): Promise<LaneBatchSummary> {
    const { cancellationSignal } = Context.current();
    const started = Date.now();
    const totals = { sent: 0, delivered: 0, failed: 0 };
    let rung = false;
    let wakeUp: (() => void) | null = null;
    const onRing = () => {
      rung = true;
      wakeUp?.();
    };
    const stopListening = bell.listen(input.endpointId, onRing);
    const stopHeartbeating = keepHeartbeating(() => ({ sent: totals.sent }));
    let last: ActiveRound | null = null;
    let lastSentAt: number | null = null;
    let idleSince = started;
    // The earliest retry due among messages not sent yet, read when the batch first goes idle. Only
    // a failure makes a new one, and a failure ends the batch; a redelivery is due now and rings.
    let laterDue: number | null | undefined;
    try {
      for (;;) {
        rung = false;
        // The rate limit spaces sends 1/rate s apart within a round, and across rounds from here.
        const notBefore =
          last?.rateLimitPerSecond && lastSentAt !== null ? lastSentAt + Math.ceil(1_000 / last.rateLimitPerSecond) : 0;
        if (notBefore > Date.now()) await wait(notBefore - Date.now(), cancellationSignal);
        const round = await runLaneRound(db, secrets, settings, input, () => totals.sent++);
        if (round.ended) return ended(round.ended);
        last = round;
        lastSentAt = round.lastSentAt ?? lastSentAt;
        totals.delivered += round.delivered;
        totals.failed += round.failed;
        if (round.anyNotDelivered || round.circuit.state === 'open') break;
        if (Date.now() - started >= BATCH_RUN_MS || cancellationSignal.aborted) break;
        if (round.sent > 0) idleSince = Date.now();
        if (round.sent > 0 || rung) continue;

        const lingerLeft = idleSince + settings.laneLingerMs - Date.now();
        if (lingerLeft > 0) {
          // A retry falling due while lingering is a round too (ordered: the message holding the rest
          // back). Nothing was due just now, so a due time already past is clock skew: look again soon.
          if (laterDue === undefined || (laterDue !== null && laterDue <= Date.now()))
            laterDue = await nextDueAt(db.pool, input.endpointId, round.ordered);
          const due = laterDue;
          const untilDue = due === null ? lingerLeft : Math.max(MIN_IDLE_WAIT_MS, due - Date.now());
          if (!rung) {
            await wait(Math.min(lingerLeft, untilDue), cancellationSignal, (wake) => {
              wakeUp = wake;
            });
            wakeUp = null;
          }
          if (cancellationSignal.aborted) break;
          if (rung || Date.now() - idleSince < settings.laneLingerMs) continue;
        }
        break;
      }
    } finally {
      stopListening();
      stopHeartbeating();
    }
    // Read after the batch stopped listening, never before: a ring from then on answers false and its
    // caller signals the workflow, and a message rung in earlier (absorbed by the last round, or
    // arriving as the batch decided to stop) is committed, so it shows here as due now and the lane
    // runs its next batch at once. Nothing waits for the sweep.
    return summarize(last, totals, lastSentAt, await nextDueAt(db.pool, input.endpointId, last?.ordered ?? false));
  };
}

type ActiveRound = Extract<LaneRound, { ended: null }>;

/** A round that found nothing due waits at least this long before it looks again. */
const MIN_IDLE_WAIT_MS = 200;

function summarize(
  last: ActiveRound | null,
  totals: { sent: number; delivered: number; failed: number },
  lastSentAt: number | null,
  due: number | null,
): LaneBatchSummary {
  const circuit = last?.circuit ?? { state: 'closed' as const, nextProbeAt: null };
  return {
    endpoint: 'active',
    ...totals,
    consecutiveFailures: last?.consecutiveFailures ?? 0,
    circuit: circuit.state,
    nextDueAt: due !== null && circuit.state === 'open' ? Math.max(due, circuit.nextProbeAt ?? due) : due,
    rateLimitPerSecond: last?.rateLimitPerSecond ?? null,
    lastSentAt,
  };
}

/** Resolves after `ms`, when the activity is cancelled, or when the function given to `onWake` is called. */
function wait(ms: number, signal: AbortSignal, onWake?: (wake: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    // Cancelled before the wait began: the abort event has fired already and would not again.
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    onWake?.(done);
  });
}
