import { ConfigError, loadServerConfig } from '@catalog/domain';
import { type Database, openDatabase } from '../orm';
import { reencryptWebhookSecrets } from '../webhooks/reencrypt-secrets';
import { SEALED_PREFIX, SecretBoxError, secretBoxFromConfig } from './secret-box';

/**
 * `npm run secrets -- rotate`: re-encrypts every stored webhook secret under SECRETS_KEY, opening
 * each with SECRETS_KEY_PREVIOUS or SECRETS_KEY, in batches; running it again changes nothing. The
 * wrapper scripts/secrets.mjs fills in `npm start`'s database and key when they are unset; in a
 * production image run `node dist/secrets/main.js rotate`.
 */
const USAGE = 'usage: npm run secrets -- rotate';

const [command, ...rest] = process.argv.slice(2);
if (command !== 'rotate' || rest.length > 0) {
  console.error(USAGE);
  process.exit(2);
}

let config: ReturnType<typeof loadServerConfig>;
try {
  config = loadServerConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  for (const problem of error.problems) console.error(problem);
  process.exit(2);
}
const box = secretBoxFromConfig(config);

let db: Database;
try {
  db = await openDatabase({ databaseUrl: config.DATABASE_URL, poolSize: 1 });
} catch (error) {
  const { host, pathname } = new URL(config.DATABASE_URL);
  console.error(`cannot reach the database ${host}${pathname}: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}

try {
  const { rows } = await db.pool.query<{ current: number }>(
    `select count(*)::int as current from webhook_endpoints
     where secret like $1 and (previous_secret is null or previous_secret like $1)`,
    [`${SEALED_PREFIX}${box.keyId}:%`],
  );
  const changed = await reencryptWebhookSecrets(db.pool, box, 'stale');
  console.log(
    `re-encrypted ${changed} webhook endpoint secret(s) with key ${box.keyId}; ${rows[0]?.current ?? 0} already used it`,
  );
} catch (error) {
  if (!(error instanceof SecretBoxError)) throw error;
  console.error(`${error.message}; nothing after the last finished batch was changed`);
  process.exitCode = 1;
} finally {
  await db.close();
}
