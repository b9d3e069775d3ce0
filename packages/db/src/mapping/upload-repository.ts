import { type Actor, headerListSchema } from '@catalog/domain';
import { toDate } from '../auth/timestamps';
import type { Database } from '../orm';

/** A stored file waiting for its mapping (POST /api/uploads), then taken by the import that uses it. */
export type UploadRecord = {
  id: string;
  fileKey: string;
  fileName: string;
  bytes: number;
  delimiter: string;
  headers: string[];
  signature: string;
  createdAt: Date;
};

type UploadRow = {
  id: string;
  file_key: string;
  file_name: string;
  bytes: string;
  delimiter: string;
  headers: unknown;
  signature: string;
  created_at: string;
};

const COLUMNS = 'id, file_key, file_name, bytes, delimiter, headers, signature, created_at';

const toUpload = (row: UploadRow): UploadRecord => ({
  id: row.id,
  fileKey: row.file_key,
  fileName: row.file_name,
  bytes: Number(row.bytes),
  delimiter: row.delimiter,
  headers: headerListSchema.parse(row.headers),
  signature: row.signature,
  createdAt: toDate(row.created_at),
});

/** Uploads belong to the actor that sent them: another actor's id reads as absent. */
export function createUploadRepository(db: Database) {
  const { pool } = db;
  return {
    async create(actor: Actor, upload: Omit<UploadRecord, 'createdAt'>): Promise<UploadRecord> {
      const { rows } = await pool.query<UploadRow>(
        `insert into uploads (id, actor_kind, actor_id, file_key, file_name, bytes, delimiter, headers, signature)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning ${COLUMNS}`,
        [
          upload.id,
          actor.kind,
          actor.id,
          upload.fileKey,
          upload.fileName,
          upload.bytes,
          upload.delimiter,
          JSON.stringify(upload.headers),
          upload.signature,
        ],
      );
      const row = rows[0];
      if (!row) throw new Error('insert into uploads returned no row');
      return toUpload(row);
    },

    /**
     * Claims the upload for one import: the row goes in the same statement that reads it, so two
     * requests sent at once with the same id cannot both start an import of the file.
     */
    async take(actor: Actor, id: string): Promise<UploadRecord | null> {
      const { rows } = await pool.query<UploadRow>(
        `delete from uploads where id = $1 and actor_kind = $2 and actor_id = $3 returning ${COLUMNS}`,
        [id, actor.kind, actor.id],
      );
      return rows[0] ? toUpload(rows[0]) : null;
    },

    /** Gives a claimed upload back when its import did not start (a mapping to fix, Temporal away). */
    async giveBack(actor: Actor, upload: UploadRecord): Promise<void> {
      await pool.query(
        `insert into uploads (id, actor_kind, actor_id, file_key, file_name, bytes, delimiter, headers, signature, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) on conflict do nothing`,
        [
          upload.id,
          actor.kind,
          actor.id,
          upload.fileKey,
          upload.fileName,
          upload.bytes,
          upload.delimiter,
          JSON.stringify(upload.headers),
          upload.signature,
          upload.createdAt,
        ],
      );
    },

    /**
     * Forgets uploads never taken by an import, once their file is past the janitor's age: an
     * import refuses them well before then, so the row only names a file that is gone.
     */
    async removeCreatedBefore(cutoff: Date): Promise<number> {
      const { rowCount } = await pool.query(`delete from uploads where created_at < $1`, [cutoff]);
      return rowCount ?? 0;
    },
  };
}
export type UploadRepository = ReturnType<typeof createUploadRepository>;
