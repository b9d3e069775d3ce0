import { errors } from '@catalog/domain';

/**
 * The opaque `cursor` of GET /api/audit: the id of the last line shown. Ids only grow, so "older
 * than this id" means the same whatever the filters, and a cursor needs no fingerprint of them.
 */
export function encodeAuditCursor(id: string): string {
  return Buffer.from(JSON.stringify({ before: id })).toString('base64url');
}

export function decodeAuditCursor(cursor: string): string {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    body = null;
  }
  const before = typeof body === 'object' && body !== null && 'before' in body ? body.before : undefined;
  if (typeof before !== 'string' || !/^[1-9]\d{0,18}$/.test(before)) {
    throw errors.validation('Invalid query parameter "cursor": is not a cursor this list gave out', {
      issues: [{ parameter: 'cursor', message: 'is not a cursor this list gave out' }],
    });
  }
  return before;
}
