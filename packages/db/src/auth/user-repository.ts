import type { Role } from '@catalog/domain';
import type { PoolClient } from 'pg';
import type { Database } from '../orm';
import { toDate, toDateOrNull } from './timestamps';

export type UserRecord = {
  id: string;
  email: string;
  role: Role;
  createdAt: Date;
  updatedAt: Date;
  disabledAt: Date | null;
};

/** Who someone is at an OpenID Connect provider: stable, unlike their email. */
export type OidcIdentity = { issuer: string; subject: string };

export type UserChanges = { role?: Role; disabled?: boolean };

/** Why a change was refused: nobody could administer the catalog any more after it. */
export type UserChangeOutcome = { user: UserRecord } | { refused: 'not_found' | 'last_admin' };

type UserRow = {
  id: string;
  email: string;
  role: Role;
  password_hash: string | null;
  created_at: string;
  updated_at: string;
  disabled_at: string | null;
};

const COLUMNS = 'id, email, role, password_hash, created_at, updated_at, disabled_at';
const UNIQUE_VIOLATION = '23505';

function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
    disabledAt: toDateOrNull(row.disabled_at),
  };
}

const isUniqueViolation = (error: unknown) =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === UNIQUE_VIOLATION;

/**
 * Users. Emails match whatever their case. Changes that would leave no enabled admin are refused
 * in the statement itself, under a lock on the admins, so two admins demoting each other at once
 * cannot both succeed.
 */
export function createUserRepository(db: Database) {
  const { pool } = db;

  async function changeGuarded(
    id: string,
    change: (client: PoolClient) => Promise<UserRow | undefined>,
    keepsAdmin: (target: UserRow) => boolean,
  ): Promise<UserChangeOutcome> {
    const client = await pool.connect();
    try {
      await client.query('begin');
      const admins = await client.query<{ id: string }>(
        `select id from users where role = 'admin' and disabled_at is null for update`,
      );
      const target = (await client.query<UserRow>(`select ${COLUMNS} from users where id = $1 for update`, [id]))
        .rows[0];
      if (!target) {
        await client.query('rollback');
        return { refused: 'not_found' };
      }
      const wasLastAdmin = admins.rows.length === 1 && admins.rows[0]?.id === id;
      if (wasLastAdmin && !keepsAdmin(target)) {
        await client.query('rollback');
        return { refused: 'last_admin' };
      }
      const row = await change(client);
      await client.query('commit');
      return row ? { user: toUser(row) } : { refused: 'not_found' };
    } catch (error) {
      await client.query('rollback');
      throw error;
    } finally {
      client.release();
    }
  }

  return {
    async count(): Promise<number> {
      const { rows } = await pool.query<{ n: string }>('select count(*) as n from users');
      return Number(rows[0]?.n ?? 0);
    },

    async list(): Promise<UserRecord[]> {
      const { rows } = await pool.query<UserRow>(`select ${COLUMNS} from users order by created_at, email`);
      return rows.map(toUser);
    },

    async find(id: string): Promise<UserRecord | null> {
      const { rows } = await pool.query<UserRow>(`select ${COLUMNS} from users where id = $1`, [id]);
      return rows[0] ? toUser(rows[0]) : null;
    },

    /** With the password hash (null for someone made by a single sign-on), for sign-in and password changes only. */
    async findCredentials(by: { email: string } | { id: string }) {
      const { rows } =
        'email' in by
          ? await pool.query<UserRow>(`select ${COLUMNS} from users where lower(email) = lower($1)`, [by.email])
          : await pool.query<UserRow>(`select ${COLUMNS} from users where id = $1`, [by.id]);
      const row = rows[0];
      return row ? { user: toUser(row), passwordHash: row.password_hash } : null;
    },

    /** Null when the email is taken. */
    async create(user: { id: string; email: string; role: Role; passwordHash: string }): Promise<UserRecord | null> {
      try {
        const { rows } = await pool.query<UserRow>(
          `insert into users (id, email, role, password_hash) values ($1, $2, $3, $4) returning ${COLUMNS}`,
          [user.id, user.email, user.role, user.passwordHash],
        );
        return rows[0] ? toUser(rows[0]) : null;
      } catch (error) {
        if (isUniqueViolation(error)) return null;
        throw error;
      }
    },

    /**
     * The first admin, only while there is no user at all. The advisory lock makes API replicas
     * starting together create one admin, not one each. Null when a user already exists.
     */
    async createFirst(user: { id: string; email: string; passwordHash: string }): Promise<UserRecord | null> {
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query(`select pg_advisory_xact_lock(hashtext('catalog.first-admin'))`);
        const { rows } = await client.query<UserRow>(
          `insert into users (id, email, role, password_hash)
           select $1, $2, 'admin', $3 where not exists (select 1 from users)
           returning ${COLUMNS}`,
          [user.id, user.email, user.passwordHash],
        );
        await client.query('commit');
        return rows[0] ? toUser(rows[0]) : null;
      } catch (error) {
        await client.query('rollback');
        throw error;
      } finally {
        client.release();
      }
    },

    update(id: string, changes: UserChanges): Promise<UserChangeOutcome> {
      return changeGuarded(
        id,
        async (client) =>
          (
            await client.query<UserRow>(
              `update users set role = coalesce($2, role),
                 disabled_at = case when $3::boolean is null then disabled_at
                                    when $3 then coalesce(disabled_at, now()) else null end,
                 updated_at = now()
               where id = $1 returning ${COLUMNS}`,
              [id, changes.role ?? null, changes.disabled ?? null],
            )
          ).rows[0],
        (target) => (changes.role ?? target.role) === 'admin' && changes.disabled !== true,
      );
    },

    remove(id: string): Promise<UserChangeOutcome> {
      return changeGuarded(
        id,
        async (client) =>
          (await client.query<UserRow>(`delete from users where id = $1 returning ${COLUMNS}`, [id])).rows[0],
        () => false,
      );
    },

    /** The user a single sign-on identity (the provider's issuer and subject) belongs to. */
    async findByOidcIdentity(identity: OidcIdentity): Promise<UserRecord | null> {
      const { rows } = await pool.query<UserRow>(
        `select ${COLUMNS} from users where oidc_issuer = $1 and oidc_subject = $2`,
        [identity.issuer, identity.subject],
      );
      return rows[0] ? toUser(rows[0]) : null;
    },

    /**
     * Links the identity to the user with this email, unless that user is linked to another one
     * already. Null when no user was linked.
     */
    async linkOidcIdentityByEmail(email: string, identity: OidcIdentity): Promise<UserRecord | null> {
      const { rows } = await pool.query<UserRow>(
        `update users set oidc_issuer = $2, oidc_subject = $3, updated_at = now()
         where lower(email) = lower($1) and oidc_subject is null returning ${COLUMNS}`,
        [email, identity.issuer, identity.subject],
      );
      return rows[0] ? toUser(rows[0]) : null;
    },

    /** A user known only through single sign-on (no password). Null when the email is taken. */
    async createFromOidc(
      user: { id: string; email: string; role: Role },
      identity: OidcIdentity,
    ): Promise<UserRecord | null> {
      try {
        const { rows } = await pool.query<UserRow>(
          `insert into users (id, email, role, oidc_issuer, oidc_subject) values ($1, $2, $3, $4, $5)
           returning ${COLUMNS}`,
          [user.id, user.email, user.role, identity.issuer, identity.subject],
        );
        return rows[0] ? toUser(rows[0]) : null;
      } catch (error) {
        if (isUniqueViolation(error)) return null;
        throw error;
      }
    },

    async setPasswordHash(id: string, passwordHash: string): Promise<void> {
      await pool.query('update users set password_hash = $2, updated_at = now() where id = $1', [id, passwordHash]);
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
