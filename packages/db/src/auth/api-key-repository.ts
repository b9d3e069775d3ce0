import type { Role } from '@catalog/domain';
import type { Database } from '../orm';
import { toDate, toDateOrNull } from './timestamps';

export type ApiKeyRecord = {
  id: string;
  prefix: string;
  name: string;
  role: Role;
  createdBy: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

export type NewApiKey = {
  id: string;
  prefix: string;
  keyHash: string;
  name: string;
  role: Role;
  createdBy: string | null;
  expiresAt: Date | null;
};

type ApiKeyRow = {
  id: string;
  prefix: string;
  name: string;
  role: Role;
  created_by: string | null;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
};

// Never the hash: nothing outside this file needs it once a key is stored.
const COLUMNS = 'id, prefix, name, role, created_by, created_at, expires_at, last_used_at, revoked_at';

function toApiKey(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    prefix: row.prefix,
    name: row.name,
    role: row.role,
    createdBy: row.created_by,
    createdAt: toDate(row.created_at),
    expiresAt: toDateOrNull(row.expires_at),
    lastUsedAt: toDateOrNull(row.last_used_at),
    revokedAt: toDateOrNull(row.revoked_at),
  };
}

/** API keys, found by the SHA-256 of the whole key; the key itself is never stored. */
export function createApiKeyRepository(db: Database) {
  const { pool } = db;
  return {
    async create(key: NewApiKey): Promise<ApiKeyRecord> {
      const { rows } = await pool.query<ApiKeyRow>(
        `insert into api_keys (id, prefix, key_hash, name, role, created_by, expires_at)
         values ($1, $2, $3, $4, $5, $6, $7) returning ${COLUMNS}`,
        [key.id, key.prefix, key.keyHash, key.name, key.role, key.createdBy, key.expiresAt],
      );
      const row = rows[0];
      if (!row) throw new Error('insert into api_keys returned no row');
      return toApiKey(row);
    },

    async list(): Promise<ApiKeyRecord[]> {
      const { rows } = await pool.query<ApiKeyRow>(`select ${COLUMNS} from api_keys order by created_at, id`);
      return rows.map(toApiKey);
    },

    /**
     * The unrevoked, unexpired key with this hash. `last_used_at` is written in the same round trip,
     * but only when it is a minute old or more, so a busy integrator costs a write a minute, not one
     * per request.
     */
    async use(keyHash: string): Promise<ApiKeyRecord | null> {
      const { rows } = await pool.query<ApiKeyRow>({
        name: 'api-key-use',
        text: `with found as (
           select ${COLUMNS} from api_keys
           where key_hash = $1 and revoked_at is null and (expires_at is null or expires_at > now())
         ), touched as (
           update api_keys k set last_used_at = now() from found
           where k.id = found.id and (found.last_used_at is null or found.last_used_at < now() - interval '1 minute')
           returning k.last_used_at
         )
         select id, prefix, name, role, created_by, created_at, expires_at, revoked_at,
                coalesce((select last_used_at from touched), found.last_used_at) as last_used_at
         from found`,
        values: [keyHash],
      });
      return rows[0] ? toApiKey(rows[0]) : null;
    },

    /** Null when there is no such key; revoking twice keeps the first time. */
    async revoke(id: string): Promise<ApiKeyRecord | null> {
      const { rows } = await pool.query<ApiKeyRow>(
        `update api_keys set revoked_at = coalesce(revoked_at, now()) where id = $1 returning ${COLUMNS}`,
        [id],
      );
      return rows[0] ? toApiKey(rows[0]) : null;
    },
  };
}

export type ApiKeyRepository = ReturnType<typeof createApiKeyRepository>;
