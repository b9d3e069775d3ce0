import type { ActorKind, ActorRef } from '@catalog/domain';
import type { JobSql } from './job-sql';

export type ActorColumns = { actor_kind: ActorKind | null; actor_id: string | null; actor_label: string | null };

/** Null for a job accepted before jobs recorded who asked for them. */
export function actorFromColumns(row: ActorColumns): ActorRef | null {
  if (row.actor_kind === null || row.actor_label === null) return null;
  return { kind: row.actor_kind, id: row.actor_id, label: row.actor_label };
}

/** Who asked for the job: what its outbox events carry as `actor`. */
export async function jobActor(sql: JobSql, jobId: string): Promise<ActorRef | null> {
  const { rows } = await sql.query<ActorColumns>(`select actor_kind, actor_id, actor_label from jobs where id = $1`, [
    jobId,
  ]);
  return rows[0] ? actorFromColumns(rows[0]) : null;
}
