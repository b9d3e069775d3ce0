import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A database of the test's own, cloned from the migrated template `npm test` made: for tests that
 * must see the whole catalog (counts, delete-all) without other tests' rows.
 */
export function isolatedDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  return createDatabase(required('TEST_DATABASE_TEMPLATE'));
}

/** A database of the test's own with no tables, for tests that run the migrations themselves. */
export function unmigratedDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  return createDatabase(null);
}

async function createDatabase(template: string | null): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = required('TEST_DATABASE_ADMIN_URL');
  const base = required('TEST_DATABASE_TEMPLATE').replace(/_tpl$/, '');
  const name = `${base}_${template ? '' : 'empty_'}${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}${template ? ` template ${template}` : ''}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with npm test`);
  return value;
}
