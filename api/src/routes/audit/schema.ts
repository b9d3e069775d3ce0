import { AUDIT_PAGE_SIZE_DEFAULT, AUDIT_PAGE_SIZE_MAX, auditTargetTypes } from '@catalog/domain';
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);
const instant = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2026-12-01T09:00:00Z' })
  .transform((value) => new Date(value));

export const listAuditQuery = z
  .object({
    action: text(100)
      .regex(/^[a-z_.]+$/, 'must be an action or its beginning, e.g. webhook or product.updated')
      .optional()
      .describe('Actions starting with this: `webhook` matches `webhook.created`, `webhook.secret_revealed`, …'),
    actorId: text(100).optional().describe('The user or API key id that did it'),
    targetType: z.enum(auditTargetTypes).optional(),
    targetId: text(100).optional(),
    from: instant.optional().describe('Entries at or after this time'),
    to: instant.optional().describe('Entries before this time'),
    cursor: text(200).optional().describe('`nextCursor` of the page before'),
    limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_SIZE_MAX).default(AUDIT_PAGE_SIZE_DEFAULT),
  })
  .refine((query) => !query.from || !query.to || query.from < query.to, {
    message: 'must be later than from',
    path: ['to'],
  });
