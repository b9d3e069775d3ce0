import type { AuditPage } from '@catalog/domain';
import type { ApiClient } from './client';

/** The filters of GET /api/audit; empty strings are left out. */
export interface AuditQuery {
  action: string;
  actorId: string;
  targetType: string;
  targetId: string;
  /** ISO 8601, or empty. */
  from: string;
  to: string;
}

/** Quiet: the Audit log page shows a refusal (not an admin) in place of the table. */
export function listAudit(api: ApiClient, query: AuditQuery, cursor: string | null, limit: number): Promise<AuditPage> {
  const params = new URLSearchParams({ limit: String(limit) });
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  if (cursor) params.set('cursor', cursor);
  return api.request(`/api/audit?${params}`, { quiet: true });
}
