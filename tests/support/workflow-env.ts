import { randomUUID } from 'node:crypto';
import { prebuiltWorkflowBundle } from '@catalog/activities/workflow-bundle';
import { temporalWorkerTracing, tracingOff } from '@catalog/telemetry';
import { Context } from '@temporalio/activity';
import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { pollUntil } from './imports';

/**
 * Workflow tests: the real workflow code in the real sandbox, against a real Temporal server, with
 * activities replaced by small fakes that record calls and block or fail on demand.
 *
 * Time-skipping (`createTimeSkipping`) would download the Java test server, so the tests use the
 * dev server `npm test` already runs (TEMPORAL_ADDRESS), or start the pinned `temporal` CLI
 * (TEMPORAL_BIN) when run without it.
 */
export async function createWorkflowEnv(): Promise<TestWorkflowEnvironment> {
  // The SDK logs every expected activity failure and worker state change; tests want errors only.
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const address = process.env.TEMPORAL_ADDRESS;
  if (address) {
    return TestWorkflowEnvironment.createFromExistingServer({
      address,
      namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    });
  }
  const path = process.env.TEMPORAL_BIN;
  if (!path) throw new Error('Workflow tests need TEMPORAL_ADDRESS or TEMPORAL_BIN: run them through npm test');
  return TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path } } });
}

/** A task queue of the test's own, so workflows of other tests (or a stray worker) never mix in. */
export const uniqueTaskQueue = (name: string): string => `wf-test-${name}-${randomUUID()}`;

/**
 * Runs `body` while a worker serves `taskQueue` with the given fake activities. Heartbeats are
 * flushed every 50 ms, so a cancel reaches a blocked fake at once (the production default would
 * hold it back for up to a second).
 */
export async function withWorker<T>(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  activities: object,
  body: () => Promise<T>,
): Promise<T> {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowBundle: await prebuiltWorkflowBundle(),
    activities,
    // The bundle carries the tracing interceptors; they need their sink even with tracing off.
    ...temporalWorkerTracing(tracingOff()),
    maxHeartbeatThrottleInterval: '50 ms',
    defaultHeartbeatThrottleInterval: '50 ms',
    shutdownGraceTime: '1 second',
  });
  return worker.runUntil(body);
}

/**
 * A switch a fake activity waits on. `wait()` heartbeats while it waits, so the activity hears a
 * cancel; it resolves when the test calls `open()` and rejects with the activity's CancelledFailure
 * when the activity is cancelled. `entered` counts the activities that reached it.
 */
export class Gate {
  entered = 0;
  private release!: () => void;
  private readonly opened = new Promise<void>((resolve) => {
    this.release = resolve;
  });

  open(): void {
    this.release();
  }

  async wait(): Promise<void> {
    this.entered++;
    const context = Context.current();
    const beat = setInterval(() => context.heartbeat(), 50);
    try {
      await Promise.race([this.opened, context.cancelled]);
    } finally {
      clearInterval(beat);
    }
  }
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/**
 * Waits until the workflow has completed a workflow task after the first event matching `event`,
 * i.e. its code has seen that event (a cancel request, an activity failure) and acted on it.
 */
export async function waitForWorkflowTaskAfter(
  handle: WorkflowHandle,
  event: (event: HistoryEvent) => boolean,
): Promise<void> {
  await waitFor(
    'a workflow task after the event',
    async () => {
      const events = (await handle.fetchHistory()).events ?? [];
      const at = events.findIndex(event);
      return at >= 0 && events.slice(at + 1).some((later) => Boolean(later.workflowTaskCompletedEventAttributes));
    },
    Boolean,
  );
}

/** Polls `read` every 50 ms until `done` holds: workflow state changes within milliseconds here. */
export function waitFor<T>(
  what: string,
  read: () => T | Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  return pollUntil(what, read, done, timeoutMs, 50);
}
