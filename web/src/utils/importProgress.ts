import type { ImportProgress, ImportSummary } from '@catalog/domain';

export type StageKey = 'queued' | 'staging' | 'diffing' | 'review' | 'applying' | 'finalizing';

function ratio(done: number, total: number): number {
  return total > 0 ? Math.min(1, done / total) : 0;
}

/** Share of each measurable stage that is done, 0..1; a later stage means the earlier one is full. */
export function stageFractions(progress: ImportProgress | null): { staging: number; applying: number } {
  switch (progress?.stage) {
    case 'staging':
      return { staging: ratio(progress.bytesRead, progress.bytesTotal), applying: 0 };
    case 'applying':
      return { staging: 1, applying: ratio(progress.rowsApplied, progress.rowsToApply) };
    case 'finalizing':
    case 'done':
      return { staging: 1, applying: 1 };
    default:
      return { staging: 0, applying: 0 };
  }
}

export function currentStage(summary: ImportSummary): StageKey {
  const stage = summary.progress?.stage;
  if (summary.status === 'queued' || !stage || stage === 'queued') return 'queued';
  return stage === 'done' ? 'finalizing' : stage;
}

export function stageLabel(summary: ImportSummary): string {
  const stage = currentStage(summary);
  if (stage === 'queued') {
    // queuePosition counts the imports that must finish first; 0 means this one is next.
    const ahead = summary.progress?.queuePosition;
    if (ahead == null) return 'Queued';
    if (ahead === 0) return 'Queued — next in line';
    return `Queued — waiting for ${ahead} earlier import${ahead === 1 ? '' : 's'}`;
  }
  return {
    staging: 'Reading and checking rows',
    diffing: 'Comparing with the catalog',
    review: 'Waiting for review',
    applying: 'Applying to the catalog',
    finalizing: 'Finalizing',
  }[stage];
}

/**
 * Time left in the current stage, from the server's own rate. While staging the row total is
 * not known yet, so it is extrapolated from the bytes read so far.
 */
export function stageTimeLeftMs(progress: ImportProgress | null): number | null {
  if (!progress || progress.rowsPerSecond <= 0) return null;
  if (progress.stage === 'staging') {
    if (progress.bytesRead <= 0 || progress.rowsParsed <= 0) return null;
    const rowsExpected = (progress.rowsParsed * progress.bytesTotal) / progress.bytesRead;
    return (Math.max(0, rowsExpected - progress.rowsParsed) / progress.rowsPerSecond) * 1000;
  }
  if (progress.stage === 'applying') {
    return (Math.max(0, progress.rowsToApply - progress.rowsApplied) / progress.rowsPerSecond) * 1000;
  }
  return null;
}
