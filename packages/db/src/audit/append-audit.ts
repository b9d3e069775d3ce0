import type { Attribution, AuditChange } from '@catalog/domain';
import type { SqlExecutor } from '../outbox';

/**
 * Writes one audit line with the caller's executor: inside the caller's transaction when the change
 * is one (a product edit, a job's acceptance), so the line and the change commit or vanish together.
 */
export async function appendAudit(sql: SqlExecutor, by: Attribution, change: AuditChange): Promise<void> {
  await sql.query(
    `insert into audit_log (actor_kind, actor_id, actor_label, action, target_type, target_id, details, request_id, ip)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      by.actor.kind,
      by.actor.id,
      by.actor.label,
      change.action,
      change.target?.type ?? null,
      change.target?.id ?? null,
      JSON.stringify(change.details ?? {}),
      by.requestId,
      by.ip,
    ],
  );
}
