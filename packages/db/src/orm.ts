import { MikroORM } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import { createOrmConfig, type OrmOptions } from './mikro-orm.config';

export type Database = {
  orm: MikroORM;
  /** The `pg` pool behind the ORM: for COPY and set-based SQL that the ORM does not express. */
  pool: Pool;
  close: () => Promise<void>;
};

export async function openDatabase(options: OrmOptions): Promise<Database> {
  const orm = await MikroORM.init(createOrmConfig(options));
  const pool = await orm.em.getConnection().getNativeClient();
  return { orm, pool, close: () => orm.close(true) };
}

export async function migrate(db: Database): Promise<string[]> {
  const applied = await db.orm.migrator.up();
  return applied.map((m) => m.name);
}

/** A cheap round trip, for readiness checks. */
export async function pingDatabase(db: Database): Promise<void> {
  await db.pool.query('select 1');
}
