import { activeJobFilePaths, createUploadRepository, type Database } from '@catalog/db';
import type { UploadStore } from '@catalog/uploads';

const DAY_MS = 24 * 3_600_000;

export type SweepOptions = {
  db: Database;
  uploads: UploadStore;
  /** Uploads younger than this are kept: one may be between its upload and its job row. */
  maxAgeMs?: number;
  now?: Date;
};

/**
 * Removes stored uploads that are older than a day and that no queued or running job needs. An
 * upload normally goes when its job ends (finalize, compensate); this catches the rest: the API
 * stopped between storing a file and creating its job, or a removal failed, or an upload
 * (POST /api/uploads) was never mapped; that upload's row goes too. Run hourly by the
 * `upload-janitor` schedule (../housekeeping/schedules.ts); two at once are harmless. Returns the
 * removed keys.
 */
export async function sweepUploads({ db, uploads, maxAgeMs = DAY_MS, now = new Date() }: SweepOptions) {
  const old: string[] = [];
  for await (const upload of uploads.list()) {
    if (now.getTime() - upload.lastModified.getTime() >= maxAgeMs) old.push(upload.key);
  }
  await createUploadRepository(db).removeCreatedBefore(new Date(now.getTime() - maxAgeMs));
  if (old.length === 0) return [];
  // Read after listing: a job that started meanwhile is then seen. A new job names an old file only
  // through a mapped upload, which refuses uploads older than 23 hours (routes/imports/mapped-import.ts).
  const needed = new Set(await activeJobFilePaths(db.pool));
  const removed = old.filter((key) => !needed.has(key));
  for (const key of removed) await uploads.remove(key);
  return removed;
}
