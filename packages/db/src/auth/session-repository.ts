import type { Database } from '../orm';
import { toDate } from './timestamps';
import type { UserRecord } from './user-repository';

export type SessionLifetime = { idleMs: number; maxMs: number };

type ActiveSessionRow = {
  user_id: string;
  email: string;
  role: UserRecord['role'];
  user_created_at: string;
  user_updated_at: string;
  expires_at: string;
};

/**
 * Sessions, keyed by the SHA-256 of the cookie's token (the token itself is never stored). A
 * session slides: each use pushes its end to `idle` from now, never past `max` after sign-in. The
 * slide is written at most once a minute, so most requests only read.
 */
export function createSessionRepository(db: Database, lifetime: SessionLifetime) {
  const { pool } = db;
  return {
    async create(id: string, userId: string): Promise<{ expiresAt: Date }> {
      const { rows } = await pool.query<{ expires_at: string }>(
        `insert into sessions (id, user_id, expires_at)
         values ($1, $2, now() + least($3::float8, $4::float8) * interval '1 millisecond') returning expires_at`,
        [id, userId, lifetime.idleMs, lifetime.maxMs],
      );
      return { expiresAt: toDate(rows[0]?.expires_at ?? new Date()) };
    },

    /** The enabled user behind an unexpired session, in one round trip that also slides it. */
    async use(id: string): Promise<{ user: UserRecord; expiresAt: Date } | null> {
      const { rows } = await pool.query<ActiveSessionRow>({
        name: 'session-use',
        text: `with found as (
           select s.id, s.created_at, s.expires_at, s.last_seen_at, u.id as user_id, u.email, u.role,
                  u.created_at as user_created_at, u.updated_at as user_updated_at
           from sessions s join users u on u.id = s.user_id
           where s.id = $1 and s.expires_at > now() and u.disabled_at is null
         ), slid as (
           update sessions s
           set last_seen_at = now(),
               expires_at = least(now() + $2::float8 * interval '1 millisecond', found.created_at + $3::float8 * interval '1 millisecond')
           from found
           where s.id = found.id and found.last_seen_at < now() - interval '1 minute'
           returning s.expires_at
         )
         select found.user_id, found.email, found.role, found.user_created_at, found.user_updated_at,
                coalesce((select expires_at from slid), found.expires_at) as expires_at
         from found`,
        values: [id, lifetime.idleMs, lifetime.maxMs],
      });
      const row = rows[0];
      if (!row) return null;
      return {
        user: {
          id: row.user_id,
          email: row.email,
          role: row.role,
          createdAt: toDate(row.user_created_at),
          updatedAt: toDate(row.user_updated_at),
          disabledAt: null,
        },
        expiresAt: toDate(row.expires_at),
      };
    },

    async remove(id: string): Promise<void> {
      await pool.query('delete from sessions where id = $1', [id]);
    },

    /** Every session of a user, but the one given (the one changing its password stays signed in). */
    async removeForUser(userId: string, exceptId: string | null = null): Promise<void> {
      await pool.query('delete from sessions where user_id = $1 and id is distinct from $2', [userId, exceptId]);
    },
  };
}

export type SessionRepository = ReturnType<typeof createSessionRepository>;
