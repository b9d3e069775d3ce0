import { z } from 'zod';
import { jobStatuses } from './jobs';

/** `diffing` and `review` only for an import asked to be reviewed before it applies. */
export const importStages = ['queued', 'staging', 'diffing', 'review', 'applying', 'finalizing', 'done'] as const;
export type ImportStage = (typeof importStages)[number];

/** What a reviewed import would do, row by row, counted by kind (see GET /api/imports/{id}/changes). */
export const reviewKinds = ['inserted', 'updated', 'unchanged', 'invalid', 'skipped'] as const;
export type ReviewKind = (typeof reviewKinds)[number];
export const reviewCountsSchema = z
  .object({
    inserted: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    invalid: z.number().int(),
    skipped: z.number().int(),
  })
  .meta({ id: 'ReviewCounts' });
export type ReviewCounts = z.infer<typeof reviewCountsSchema>;

/** Apply found products this import touches changed since its review: the diff was computed again. */
export const reviewInvalidatedSchema = z
  .object({
    rowsChanged: z.number().int().describe('Rows of this import whose product changed (or appeared) since the review'),
    at: z.string(),
  })
  .meta({ id: 'ReviewInvalidated' });
export type ReviewInvalidated = z.infer<typeof reviewInvalidatedSchema>;

/** What the workflow's `progress` query answers, and what every SSE `progress` event carries. */
export const importProgressSchema = z.object({
  stage: z.enum(importStages),
  /** While stage is `queued`: how many earlier jobs must finish first (0 = next). Else null. */
  queuePosition: z.number().int().nullable(),
  bytesRead: z.number().int(),
  bytesTotal: z.number().int(),
  rowsParsed: z.number().int(),
  rowsValid: z.number().int(),
  rowsInvalid: z.number().int(),
  /** Rows a mapped import passed over as not products (image or option rows), with a reason in the report. */
  rowsSkipped: z.number().int().default(0),
  /** Distinct SKUs to apply (after last-row-wins), and how many of them are done. */
  rowsToApply: z.number().int(),
  rowsApplied: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rowsPerSecond: z.number(),
  updatedAt: z.string(),
  /** A reviewed import, once its diff is computed: the counts by kind. */
  review: reviewCountsSchema.nullable().optional(),
  /** Set when an apply found the catalog changed since the review and sent the import back to review. */
  reviewInvalidated: reviewInvalidatedSchema.nullable().optional(),
});
export type ImportProgress = z.infer<typeof importProgressSchema>;

export const importResultSchema = z.object({
  rowsRead: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  invalid: z.number().int(),
  /**
   * Mapped imports only: rows that are not products (image or option rows), neither valid nor
   * invalid, listed with their reason in the error report.
   */
  skipped: z.number().int().optional(),
  durationMs: z.number().int(),
});
export type ImportResult = z.infer<typeof importResultSchema>;

/**
 * A product that undoing an import left as it is, because it was changed after the import wrote
 * it (edited, or deleted): putting the old values back would overwrite someone's later work.
 */
export const importUndoConflictSchema = z.object({
  sku: z.string(),
  /** What the import had done to the product. */
  change: z.enum(['inserted', 'updated']),
  reason: z.enum(['edited', 'deleted']),
  message: z.string(),
});
export type ImportUndoConflict = z.infer<typeof importUndoConflictSchema>;

/** What undoing a failed or cancelled import did: the job's result for such an import. */
export const importUndoSchema = z.object({
  /** Products the import updated, now back to their previous values (with a higher version). */
  restored: z.number().int(),
  /** Products the import inserted, now deleted again. */
  removed: z.number().int(),
  conflictCount: z.number().int(),
  /** The first conflicts in SKU order; `conflictCount` says how many there are in all. */
  conflicts: z.array(importUndoConflictSchema),
});
export type ImportUndo = z.infer<typeof importUndoSchema>;

export const importSummarySchema = z.object({
  id: z.string(),
  fileName: z.string(),
  fileSize: z.number().int(),
  status: z.enum(jobStatuses),
  progress: importProgressSchema.nullable(),
  result: importResultSchema.nullable(),
  /**
   * What undoing the import did: for a failed or cancelled import, its compensation; for a completed
   * one, its undo job's result once that ended (a cancelled undo shows what it got done).
   */
  undo: importUndoSchema.nullable(),
  /** The latest undo job of a completed import, if any (`GET /api/jobs/{id}` has its live progress). */
  undoJob: z.object({ id: z.string(), status: z.enum(jobStatuses) }).nullable(),
  /**
   * Set while `POST /api/imports/{id}/undo` would be accepted: what the undo would do at most (products
   * changed since are kept) and until when it is offered.
   */
  undoable: z.object({ removes: z.number().int(), restores: z.number().int(), until: z.string() }).nullable(),
  /** A reviewed import: what it does, counted by kind (GET /api/imports/{id}/changes lists the rows). Null when not reviewed. */
  review: reviewCountsSchema.nullable(),
  /** Set when an apply found products of this import changed since the review: the review shown is the new one. */
  reviewInvalidated: reviewInvalidatedSchema.nullable(),
  appliedBy: z
    .string()
    .nullable()
    .describe('Who applied a reviewed import (may differ from who started it); null otherwise'),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  by: z.string().nullable().describe('Who started the import (a user email or an API key); null for older imports'),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().int().nullable(),
  temporalUrl: z.string(),
  errorsUrl: z.string(),
});
export type ImportSummary = z.infer<typeof importSummarySchema>;

const fieldValue = z.union([z.string(), z.boolean(), z.null()]);
export const reviewFieldChangeSchema = z.object({
  field: z.enum(['sku', 'name', 'description', 'price', 'active']),
  before: fieldValue,
  after: fieldValue,
});
/** One row of GET /api/imports/{id}/changes; which fields it has depends on the kind asked for. */
export const reviewChangeSchema = z
  .object({
    line: z.number().int().describe('The row in the file (the header is row 1)'),
    sku: z.string().nullable(),
    productId: z.number().int().nullable().optional().describe('updated and unchanged rows: the product'),
    values: z
      .object({ name: z.string(), description: z.string(), price: z.string().nullable(), active: z.boolean() })
      .optional()
      .describe('inserted rows: what lands'),
    changes: z.array(reviewFieldChangeSchema).optional().describe('updated rows: each changed field, before → after'),
    reason: z.string().optional().describe('invalid and skipped rows: why'),
  })
  .meta({ id: 'ReviewChange' });
export type ReviewChange = z.infer<typeof reviewChangeSchema>;
export const reviewChangesPageSchema = z
  .object({ items: z.array(reviewChangeSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'ReviewChangesPage' });

export const importAcceptedSchema = z.object({
  jobId: z.string(),
  ignoredColumns: z.array(z.string()),
});
export type ImportAccepted = z.infer<typeof importAcceptedSchema>;

/** SSE event names on /api/imports/:id/events and /api/jobs/:id/events. */
export const jobEventNames = ['progress', 'completed', 'failed', 'cancelled'] as const;
export type JobEventName = (typeof jobEventNames)[number];
