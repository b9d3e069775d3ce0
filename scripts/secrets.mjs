#!/usr/bin/env node
/**
 * `npm run secrets -- rotate`: runs packages/db/src/secrets/secrets-cli.ts against the database and
 * key `npm start` uses: DATABASE_URL when set, else the embedded cluster (which must be running);
 * SECRETS_KEY when set, else .data/secrets.key. In a production image, run the compiled
 * `node dist/secrets/main.js rotate` instead.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readPort } from './lib/launcher-config.mjs';
import { embeddedServerUrl, withDatabase } from './lib/postgres-urls.mjs';
import { devSecretsKey } from './lib/secrets-key.mjs';
import { SERVER_ENTRIES } from './lib/server-build.mjs';

const repoDir = fileURLToPath(new URL('..', import.meta.url));
const env = { ...process.env };
env.DATABASE_URL ||= withDatabase(embeddedServerUrl(readPort(env, 'EMBEDDED_PG_PORT', 5433)), 'catalog');
const key = devSecretsKey(repoDir, env, { create: false });
if (key) env.SECRETS_KEY = key;
const result = spawnSync(process.execPath, ['--import', 'tsx', SERVER_ENTRIES.secrets, ...process.argv.slice(2)], {
  cwd: repoDir,
  env,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
