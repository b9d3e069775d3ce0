import type { ActorKind, Attribution, AuditChange, AuditEntry, AuditFilter, AuditPage } from '@catalog/domain';
import type { Database } from '../orm';
import { appendAudit } from './append-audit';
import { decodeAuditCursor, encodeAuditCursor } from './audit-cursor';

/** `at` is read as ISO 8601 text: the ORM's pool hands timestamps back in PostgreSQL's own format. */
type AuditRow = {
  id: string;
  at: string;
  actor_kind: ActorKind;
  actor_id: string | null;
  actor_label: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: Record<string, unknown>;
  request_id: string | null;
  ip: string | null;
};

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    actor: { kind: row.actor_kind, id: row.actor_id, label: row.actor_label },
    action: row.action,
    target: row.target_type !== null && row.target_id !== null ? { type: row.target_type, id: row.target_id } : null,
    details: row.details,
    requestId: row.request_id,
    ip: row.ip,
  };
}

/** `%`, `_` and `\` are wildcards to LIKE: a prefix is matched as typed. */
const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The audit log: lines appended by whoever changes something, read newest first by admins. */
export function createAuditRepository(db: Database) {
  return {
    /** A line of its own, for changes that are not a transaction of ours (written right after them). */
    record(by: Attribution, change: AuditChange): Promise<void> {
      return appendAudit(db.pool, by, change);
    },

    /** Newest first; `cursor` continues after the last line of the page before. */
    async list(filter: AuditFilter, cursor: string | undefined, limit: number): Promise<AuditPage> {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (condition: (placeholder: string) => string, value: unknown) => {
        params.push(value);
        where.push(condition(`$${params.length}`));
      };
      if (filter.action) add((p) => `action like ${p}`, likePrefix(filter.action));
      if (filter.actorId) add((p) => `actor_id = ${p}`, filter.actorId);
      if (filter.targetType) add((p) => `target_type = ${p}`, filter.targetType);
      if (filter.targetId) add((p) => `target_id = ${p}`, filter.targetId);
      if (filter.from) add((p) => `at >= ${p}`, filter.from);
      if (filter.to) add((p) => `at < ${p}`, filter.to);
      if (cursor !== undefined) add((p) => `id < ${p}::bigint`, decodeAuditCursor(cursor));
      params.push(limit + 1);
      // Ordered by the table's bigint id: a bare `id` would name the text column selected as `id`.
      const { rows } = await db.pool.query<AuditRow>(
        `select id::text as id, to_json(at) #>> '{}' as at, actor_kind, actor_id, actor_label, action,
                target_type, target_id, details, request_id, ip
         from audit_log ${where.length ? `where ${where.join(' and ')}` : ''}
         order by audit_log.id desc limit $${params.length}`,
        params,
      );
      const page = rows.slice(0, limit).map(toEntry);
      const last = page.at(-1);
      return { items: page, nextCursor: rows.length > limit && last ? encodeAuditCursor(last.id) : null };
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
