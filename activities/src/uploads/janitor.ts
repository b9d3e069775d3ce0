import type { Database } from '@catalog/db';
import type { UploadStore } from '@catalog/uploads';
import type { Logger } from 'pino';

const DAY_MS = 24 * 3_600_000;
const HOUR_MS = 3_600_000;

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
 * stopped between storing a file and creating its job, or a removal failed. Returns the removed keys.
 */
export async function sweepUploads({ db, uploads, maxAgeMs = DAY_MS, now = new Date() }: SweepOptions) {
  const old: string[] = [];
  for await (const upload of uploads.list()) {
    if (now.getTime() - upload.lastModified.getTime() >= maxAgeMs) old.push(upload.key);
  }
  if (old.length === 0) return [];
  // Read after listing: a job that started meanwhile is then seen, and a new job never names an old file.
  const { rows } = await db.pool.query<{ file_path: string }>(
    `select file_path from jobs where status in ('queued', 'running') and file_path is not null`,
  );
  const needed = new Set(rows.map((row) => row.file_path));
  const removed = old.filter((key) => !needed.has(key));
  for (const key of removed) await uploads.remove(key);
  return removed;
}

export type UploadJanitor = { stop: () => Promise<void> };

/** Sweeps at start and then every hour, in the worker process; several workers sweeping is harmless. */
export function startUploadJanitor(
  options: Omit<SweepOptions, 'now'> & { logger: Logger; everyMs?: number },
): UploadJanitor {
  let running: Promise<void> | null = null;
  const sweep = () => {
    // A sweep of a large bucket may outlast the interval: never two at once.
    if (running) return;
    running = sweepUploads(options).then(
      (removed) => {
        if (removed.length > 0)
          options.logger.info({ removed: removed.length }, 'upload janitor removed stale uploads');
      },
      (error: unknown) => options.logger.warn({ err: error }, 'upload janitor could not sweep; trying again later'),
    );
    void running.finally(() => {
      running = null;
    });
  };
  sweep();
  const timer = setInterval(sweep, options.everyMs ?? HOUR_MS);
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
