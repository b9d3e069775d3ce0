import { type Database, type JobRepository, JobTransitionError } from '@catalog/db';
import { errors, isFinished, type JobKind } from '@catalog/domain';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Context } from 'koa';
import { openSse } from '../http/sse';
import type { Lifecycle } from '../lifecycle';
import type { Logger } from '../logger';
import type { Temporal } from '../temporal';
import type { JobFeed } from './job-feed';
import type { JobView } from './job-view';
import type { LiveJobReader } from './live-job';
import { wakeQueuedJobs } from './wake-queued';

type JobDeps = { readLiveJob: LiveJobReader; temporal: Temporal; feed: JobFeed; lifecycle: Lifecycle };

/**
 * Starts the workflow of a job whose row exists, under the workflow id stored with it. A start can
 * fail after the server accepted it (a deadline, a dropped connection), so the job is marked failed
 * only when Temporal answers that the workflow does not exist: it then never holds the queue, and
 * the jobs queued behind it are woken. When that cannot be told (Temporal still unreachable), the
 * job stays queued — a workflow that did start runs it, and the orphan reaper settles one that did
 * not. Either way the caller is told to retry.
 */
export async function startJobWorkflow(
  deps: { db: Database; temporal: Temporal; jobs: JobRepository; logger: Logger },
  job: { id: string; workflowId: string },
  start: (workflowId: string) => Promise<unknown>,
): Promise<void> {
  try {
    await start(job.workflowId);
  } catch (error: unknown) {
    const existence = await deps.temporal.client.workflow
      .getHandle(job.workflowId)
      .describe()
      .then(() => 'started' as const)
      .catch((describeError: unknown) => (describeError instanceof WorkflowNotFoundError ? 'absent' : 'unknown'));
    if (existence === 'started') return;
    deps.logger.error({ err: error, jobId: job.id, existence }, 'could not start the job workflow');
    if (existence === 'absent') await failUnstarted(deps, job.id);
    throw errors.unavailable('The job service (Temporal) is unavailable; try again shortly.');
  }
}

async function failUnstarted(deps: Parameters<typeof startJobWorkflow>[0], jobId: string): Promise<void> {
  try {
    await deps.jobs.failUnstarted(jobId, 'Temporal was unavailable');
  } catch (error: unknown) {
    // Settled meanwhile (the orphan reaper failed it first): the queue is free either way.
    if (!(error instanceof JobTransitionError)) throw error;
    deps.logger.warn({ jobId, found: error.found }, 'a job whose workflow never started had already ended');
    return;
  }
  await wakeQueuedJobs(deps);
}

/** Reads a job that must exist (and be of `kind`, when given): else a 404. */
export async function requireJob(deps: JobDeps, id: string, kind?: JobKind): Promise<JobView> {
  const view = await deps.readLiveJob(id);
  if (!view || (kind && view.kind !== kind)) throw errors.notFound(kind === 'import' ? 'Import' : 'Job', id);
  return view;
}

/** Asks the job's workflow to cancel; the workflow itself undoes what it must and records the outcome. */
export async function cancelJob(deps: JobDeps, id: string, kind?: JobKind): Promise<JobView> {
  const view = await requireJob(deps, id, kind);
  if (isFinished(view.status)) throw errors.conflict(`The job is already ${view.status}`, { status: view.status });
  try {
    await deps.temporal.client.workflow.getHandle(view.workflowId).cancel();
  } catch (error: unknown) {
    throw errors.unavailable('Temporal did not accept the cancel request; try again', {
      reason: error instanceof Error ? error.message : String(error),
    });
  }
  return view;
}

/**
 * SSE: the current state at once, then every snapshot the feed hears, then exactly one final
 * event (`completed` / `failed` / `cancelled`) and the end of the stream. A finished job replays
 * its final event from the database.
 */
export async function streamJobEvents<T>(
  ctx: Context,
  deps: JobDeps,
  id: string,
  kind: JobKind | undefined,
  present: (view: JobView) => T,
): Promise<void> {
  const first = await requireJob(deps, id, kind);
  const lastSeen = Number(ctx.get('last-event-id')) || 0;
  const sse = openSse(ctx, deps.lifecycle);
  let done = false;
  const relay = (eventId: number, view: JobView) => {
    if (done || eventId <= lastSeen) return;
    const finished = isFinished(view.status);
    sse.send(finished ? view.status : 'progress', present(view), eventId);
    if (finished) {
      done = true;
      sse.close();
    }
  };
  relay(Math.max(Date.now(), lastSeen + 1), first);
  if (done) return;
  const unsubscribe = await deps.feed.subscribe(id, (message) => relay(message.id, message.view));
  sse.onClose(() => void unsubscribe());
}
