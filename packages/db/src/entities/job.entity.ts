import type { ActorKind, JobKind, JobStatus } from '@catalog/domain';
import { defineEntity, p } from '@mikro-orm/core';

/** One row per background job (import, bulk delete, undo). `seq` is the order in which jobs were accepted. */
export const JobSchema = defineEntity({
  name: 'Job',
  tableName: 'jobs',
  properties: {
    id: p.uuid().primary(),
    seq: p.bigint('number').autoincrement().persist(false),
    kind: p.string().$type<JobKind>(),
    status: p.string().$type<JobStatus>(),
    /** `<kind>-<id>` (see jobWorkflowId); the bare id for jobs accepted before ids carried their kind. */
    workflowId: p.string().fieldName('workflow_id'),
    fileName: p.string().fieldName('file_name').nullable(),
    fileSize: p.bigint('number').fieldName('file_size').nullable(),
    filePath: p.string().fieldName('file_path').nullable(),
    /** Who asked for the job; null for jobs accepted before jobs recorded it. */
    actorKind: p.string().$type<ActorKind>().fieldName('actor_kind').nullable(),
    actorId: p.string().fieldName('actor_id').nullable(),
    actorLabel: p.string().fieldName('actor_label').nullable(),
    /** Who applied a reviewed import; null for every other job. */
    appliedByLabel: p.string().fieldName('applied_by_label').nullable(),
    /** For a job of kind `undo`: the import it takes back. */
    undoOf: p.uuid().fieldName('undo_of').nullable(),
    progress: p.json<Record<string, unknown>>().nullable(),
    result: p.json<Record<string, unknown>>().nullable(),
    error: p.json<{ code: string; message: string }>().nullable(),
    createdAt: p
      .datetime()
      .fieldName('created_at')
      .onCreate(() => new Date()),
    startedAt: p.datetime().fieldName('started_at').nullable(),
    finishedAt: p.datetime().fieldName('finished_at').nullable(),
  },
});

export type JobEntity = InstanceType<typeof JobSchema.class>;
