import { z } from 'zod';
import { importUndoConflictSchema } from './imports';

/**
 * Undoing a completed import: a job of kind `undo` (issue 13). It removes the products the import
 * inserted and puts back the values of those it updated, except products changed since, which it
 * keeps and lists as conflicts.
 */
export const undoStages = ['queued', 'undoing', 'done'] as const;

/** What UndoImportWorkflow's `progress` query answers, and what its SSE `progress` events carry. */
export const undoProgressSchema = z.object({
  stage: z.enum(undoStages),
  /** While stage is `queued`: how many earlier jobs must finish first (0 = next). Else null. */
  queuePosition: z.number().int().nullable(),
  /** Products in the import's undo log when the undo started, and how many of them are dealt with. */
  total: z.number().int(),
  processed: z.number().int(),
  restored: z.number().int(),
  removed: z.number().int(),
  conflicts: z.number().int(),
  rowsPerSecond: z.number(),
  updatedAt: z.string(),
});
export type UndoProgress = z.infer<typeof undoProgressSchema>;

/** An undo job's result, also shown on the import it undid (`undo`). */
export const undoResultSchema = z.object({
  importId: z.string(),
  /** Products the import updated, now back to their previous values (with a higher version). */
  restored: z.number().int(),
  /** Products the import inserted, now deleted. */
  removed: z.number().int(),
  conflictCount: z.number().int(),
  /** The first conflicts in SKU order; `conflictCount` says how many there are in all. */
  conflicts: z.array(importUndoConflictSchema),
  durationMs: z.number().int(),
});
export type UndoResult = z.infer<typeof undoResultSchema>;

/** How many conflicts an undo's result lists: enough for a person to act on. */
export const UNDO_CONFLICTS_LISTED = 100;

/** The sentence for a conflict, from what the import had done and what happened since. */
export function undoConflictMessage(change: 'inserted' | 'updated', reason: 'edited' | 'deleted'): string {
  if (reason === 'deleted') return 'Deleted since the import updated it; not restored';
  return change === 'inserted'
    ? 'Edited since the import inserted it; kept as it is'
    : 'Edited since the import updated it; kept as it is';
}
