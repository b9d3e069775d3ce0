import type { ImportUndoState } from '@catalog/db';
import {
  type ImportProgress,
  type ImportResult,
  type ImportSummary,
  type ImportUndo,
  importProgressSchema,
  importResultSchema,
  importUndoSchema,
} from '@catalog/domain';
import type { JobView } from '../../jobs/job-view';
import { undoWindowEnd } from './undo';

export type ImportLinks = { temporalUiUrl: string; namespace: string; undoRetentionDays: number };

/** An import that was never undone (or whose state was not read: one still running). */
const NEVER_UNDONE: ImportUndoState = { logKept: false, undo: null };

export function presentImport(
  view: JobView,
  links: ImportLinks,
  undoState: ImportUndoState = NEVER_UNDONE,
  now = new Date(),
): ImportSummary {
  const started = view.startedAt ? Date.parse(view.startedAt) : null;
  const finished = view.finishedAt ? Date.parse(view.finishedAt) : null;
  const progress = parseOrNull<ImportProgress>(importProgressSchema, view.progress);
  return {
    id: view.id,
    fileName: view.fileName ?? '',
    fileSize: view.fileSize ?? 0,
    status: view.status,
    progress,
    // A completed import's result is its counts; a failed or cancelled one's is what its undo did.
    result: view.status === 'completed' ? parseOrNull<ImportResult>(importResultSchema, view.result) : null,
    undo:
      view.status === 'failed' || view.status === 'cancelled'
        ? parseOrNull<ImportUndo>(importUndoSchema, view.result)
        : parseOrNull<ImportUndo>(importUndoSchema, undoState.undo?.result ?? null),
    undoJob: undoState.undo ? { id: undoState.undo.id, status: undoState.undo.status } : null,
    undoable: undoableNow(view, links.undoRetentionDays, undoState, now),
    review: progress?.review ?? null,
    reviewInvalidated: progress?.reviewInvalidated ?? null,
    appliedBy: view.appliedBy,
    error: view.error,
    by: view.by,
    createdAt: view.createdAt,
    startedAt: view.startedAt,
    finishedAt: view.finishedAt,
    durationMs: started !== null && finished !== null ? finished - started : null,
    temporalUrl: `${links.temporalUiUrl}/namespaces/${encodeURIComponent(links.namespace)}/workflows/${encodeURIComponent(view.workflowId)}`,
    errorsUrl: `/api/imports/${view.id}/errors.csv`,
  };
}

/** Rows written by older versions may lack fields; such a value is shown as unknown, not trusted. */
function parseOrNull<T>(
  schema: { safeParse: (value: unknown) => { success: boolean; data?: T } },
  value: unknown,
): T | null {
  if (value === null) return null;
  const parsed = schema.safeParse(value);
  return parsed.success && parsed.data !== undefined ? parsed.data : null;
}

/** What an undo would do, while one would be accepted (see `refuseUndo` for the same rules as refusals). */
function undoableNow(
  view: JobView,
  retentionDays: number,
  { logKept, undo }: ImportUndoState,
  now: Date,
): ImportSummary['undoable'] {
  if (view.status !== 'completed' || !logKept || !view.finishedAt) return null;
  if (undo && (undo.status === 'queued' || undo.status === 'running' || undo.status === 'completed')) return null;
  const until = undoWindowEnd(new Date(view.finishedAt), retentionDays);
  if (until <= now) return null;
  const result = parseOrNull<ImportResult>(importResultSchema, view.result);
  return { removes: result?.inserted ?? 0, restores: result?.updated ?? 0, until: until.toISOString() };
}
