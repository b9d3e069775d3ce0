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

export type ImportLinks = { temporalUiUrl: string; namespace: string };

export function presentImport(view: JobView, links: ImportLinks): ImportSummary {
  const started = view.startedAt ? Date.parse(view.startedAt) : null;
  const finished = view.finishedAt ? Date.parse(view.finishedAt) : null;
  return {
    id: view.id,
    fileName: view.fileName ?? '',
    fileSize: view.fileSize ?? 0,
    status: view.status,
    progress: parseOrNull<ImportProgress>(importProgressSchema, view.progress),
    // A completed import's result is its counts; a failed or cancelled one's is what its undo did.
    result: view.status === 'completed' ? parseOrNull<ImportResult>(importResultSchema, view.result) : null,
    undo:
      view.status === 'failed' || view.status === 'cancelled'
        ? parseOrNull<ImportUndo>(importUndoSchema, view.result)
        : null,
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
