import { loadConfig } from '@catalog/domain';
import { migrate, openDatabase } from './orm';

/** `npm run migrate`: applies pending migrations to DATABASE_URL and lists what ran. */
const config = loadConfig(process.env);
const db = await openDatabase({ databaseUrl: config.DATABASE_URL });
try {
  const applied = await migrate(db);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
} finally {
  await db.close();
}
