import type { Pool } from 'pg';
import { SEALED_PREFIX, type SecretBox } from '../secrets/secret-box';
import { openEndpointSecret, sealEndpointSecret } from './endpoint-secrets';

/**
 * `plaintext`: seals the secrets stored before encryption existed (the API and the worker run this at
 * start, so nothing reads one afterwards). `stale`: also re-seals, under SECRETS_KEY, every secret
 * sealed with another key (`npm run secrets -- rotate`).
 */
export type ReencryptScope = 'plaintext' | 'stale';

type Row = { id: string; secret: string; previous_secret: string | null };

const BATCH_ROWS = 200;

/**
 * Batches of rows locked, re-sealed and written back in one transaction each, until no row is left
 * in scope: idempotent, and safe beside a second process doing the same (the lock makes it wait,
 * then the row no longer matches). Returns how many endpoints changed.
 */
export async function reencryptWebhookSecrets(pool: Pool, box: SecretBox, scope: ReencryptScope): Promise<number> {
  const wanted = scope === 'plaintext' ? `${SEALED_PREFIX}%` : `${SEALED_PREFIX}${box.keyId}:%`;
  const inScope = (stored: string) => !stored.startsWith(wanted.slice(0, -1));
  const reseal = (id: string, stored: string) => {
    if (!inScope(stored)) return stored;
    const plaintext = stored.startsWith(SEALED_PREFIX) ? openEndpointSecret(box, id, stored) : stored;
    return sealEndpointSecret(box, id, plaintext);
  };

  let changed = 0;
  for (;;) {
    const client = await pool.connect();
    try {
      await client.query('begin');
      const { rows } = await client.query<Row>(
        `select id, secret, previous_secret from webhook_endpoints
         where secret not like $1 or previous_secret not like $1
         order by id limit $2 for update`,
        [wanted, BATCH_ROWS],
      );
      const resealed = rows.map((row) => ({
        id: row.id,
        secret: reseal(row.id, row.secret),
        previous: row.previous_secret === null ? null : reseal(row.id, row.previous_secret),
      }));
      if (resealed.length > 0) {
        await client.query(
          `update webhook_endpoints e set secret = v.secret, previous_secret = v.previous
           from unnest($1::uuid[], $2::text[], $3::text[]) as v(id, secret, previous)
           where e.id = v.id`,
          [resealed.map((r) => r.id), resealed.map((r) => r.secret), resealed.map((r) => r.previous)],
        );
      }
      await client.query('commit');
      changed += resealed.length;
      if (rows.length < BATCH_ROWS) return changed;
    } catch (error) {
      await client.query('rollback');
      throw error;
    } finally {
      client.release();
    }
  }
}
