import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before } from 'node:test';
import type { ImportActivities } from '@catalog/activities';
import { prebuiltWorkflowBundle } from '@catalog/activities/workflow-bundle';
import { temporalWorkerTracing, tracingOff } from '@catalog/telemetry';
import { Context } from '@temporalio/activity';
import {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  WorkflowFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { type JobState, jobTurnSignal, progressQuery } from '../../workflows/src/definitions';
import { pollUntil } from './imports';

/**
 * Workflow tests: the real workflow code in the real sandbox, against a real Temporal server, with
 * activities replaced by small fakes that record calls and block or fail on demand.
 *
 * No time-skipping: `TestWorkflowEnvironment.createTimeSkipping` runs Temporal's time-skipping test
 * server, a binary the SDK downloads from the web on first use, and this project downloads nothing
 * at test time. So the tests use the dev server `npm test` already runs (TEMPORAL_ADDRESS), or start
 * the pinned `temporal` CLI (TEMPORAL_BIN) when run without it, and real time passes: a test that
 * needs a timer to fire sets it short through the workflow's input (e.g. `turnFallbackMs`), and
 * one that must prove a timer did *not* fire sets it to an hour.
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

/** The env for one test file: created before its first test, torn down after its last. */
export function useWorkflowEnv(): () => TestWorkflowEnvironment {
  let env: TestWorkflowEnvironment | undefined;
  before(async () => {
    env = await createWorkflowEnv();
  });
  after(async () => {
    await env?.teardown();
  });
  return () => {
    if (!env) throw new Error('The workflow env exists only while the tests run');
    return env;
  };
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

/** A fallback no test outlives: a job that moves on while it is set was woken by a signal. */
export const NEVER_MS = 3_600_000;

type QueueActivities = Pick<ImportActivities, 'jobQueuePosition' | 'markJobRunning'>;

/**
 * The queue activities every job calls before its steps, faked. `ahead` is what the next position
 * check answers and `checks` counts them; `checkGate` makes the next check wait (after deciding its
 * answer, as the real one reads the queue first) until the gate opens.
 */
export class FakeJobQueue {
  ahead = 0;
  checks = 0;
  checkGate: Gate | null = null;
  markRunningFailure: Error | null = null;

  constructor(private readonly log: string[]) {}

  activities(): QueueActivities {
    return {
      jobQueuePosition: async () => {
        this.checks++;
        const ahead = this.ahead;
        const gate = this.checkGate;
        this.checkGate = null;
        await gate?.wait();
        return ahead;
      },
      markJobRunning: async () => {
        this.log.push('markRunning');
        if (this.markRunningFailure) throw this.markRunningFailure;
      },
    };
  }
}

/** The job's snapshot, with progress as the shared query types it (a record: read its common fields). */
export const jobSnapshot = (handle: WorkflowHandle): Promise<JobState> => handle.query(progressQuery);

/** Waits until the job shows `ahead` jobs ahead of it in the queue. */
export const waitUntilQueued = (handle: WorkflowHandle, ahead: number): Promise<JobState> =>
  waitFor(
    `${ahead} jobs ahead`,
    () => jobSnapshot(handle),
    (s) => s.status === 'queued' && s.progress.queuePosition === ahead,
  );

/** What a finishing job does for those queued behind it. */
export const signalTurn = (handle: WorkflowHandle): Promise<void> => handle.signal(jobTurnSignal);

/** Waits (at most 15 s, unlike `handle.result()`) until the job has recorded `status`. */
export const waitUntilJob = (handle: WorkflowHandle, status: JobState['status']): Promise<JobState> =>
  waitFor(
    `the job to be ${status}`,
    () => jobSnapshot(handle),
    (s) => s.status === status,
  );

export async function assertCancelled(handle: WorkflowHandle): Promise<void> {
  await assert.rejects(
    handle.result(),
    (error) => error instanceof WorkflowFailedError && error.cause instanceof CancelledFailure,
  );
}

/** The workflow failed with `message`, raised by an activity or itself, of `type` when given. */
export async function assertFailedBy(handle: WorkflowHandle, message: string, type?: string): Promise<void> {
  await assert.rejects(handle.result(), (error) => {
    assert.ok(error instanceof WorkflowFailedError);
    const cause = error.cause instanceof ActivityFailure ? error.cause.cause : error.cause;
    assert.ok(cause instanceof ApplicationFailure, `not an application failure: ${String(cause)}`);
    assert.equal(cause.message, message);
    if (type) assert.equal(cause.type, type);
    return true;
  });
}
