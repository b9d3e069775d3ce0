#!/usr/bin/env node
/**
 * `npm run apikey -- …`: runs api/src/auth/apikey-cli.ts against the database `npm start` uses:
 * DATABASE_URL when set, else the embedded cluster (EMBEDDED_PG_PORT, database `catalog`), which
 * must be running. In a production image, run the compiled `node dist/apikey/main.js …` instead.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readPort } from './lib/launcher-config.mjs';
import { embeddedServerUrl, withDatabase } from './lib/postgres-urls.mjs';
import { SERVER_ENTRIES } from './lib/server-build.mjs';

const repoDir = fileURLToPath(new URL('..', import.meta.url));
const env = { ...process.env };
env.DATABASE_URL ||= withDatabase(embeddedServerUrl(readPort(env, 'EMBEDDED_PG_PORT', 5433)), 'catalog');
const result = spawnSync(process.execPath, ['--import', 'tsx', SERVER_ENTRIES.apikey, ...process.argv.slice(2)], {
  cwd: repoDir,
  env,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
