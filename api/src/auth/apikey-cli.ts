import { createApiKeyRepository, createAuditRepository, type Database, openDatabase } from '@catalog/db';
import { ConfigError, loadConfig, systemAttribution } from '@catalog/domain';
import { issueApiKey } from './api-keys';
import { APIKEY_USAGE, parseApiKeyArgs, UsageError } from './apikey-args';

/**
 * `npm run apikey -- create|list|revoke`: API keys without the UI, against DATABASE_URL (the
 * wrapper scripts/apikey.mjs fills in `npm start`'s embedded database when it is unset). `create`
 * prints the key alone on stdout, so `KEY=$(npm run -s apikey -- create …)` captures it; everything
 * else goes to stderr.
 */
let command: ReturnType<typeof parseApiKeyArgs>;
let databaseUrl: string;
try {
  command = parseApiKeyArgs(process.argv.slice(2));
  databaseUrl = loadConfig(process.env).DATABASE_URL;
} catch (error) {
  if (error instanceof UsageError) console.error(`${error.message}\n${APIKEY_USAGE}`);
  else if (error instanceof ConfigError) for (const problem of error.problems) console.error(problem);
  else throw error;
  process.exit(2);
}

let db: Database;
try {
  db = await openDatabase({ databaseUrl, poolSize: 1 });
} catch (error) {
  const { host, pathname } = new URL(databaseUrl);
  console.error(`cannot reach the database ${host}${pathname}: ${error instanceof Error ? error.message : error}`);
  console.error('Start the app (npm start), or set DATABASE_URL to the database it uses.');
  process.exit(1);
}
const keys = createApiKeyRepository(db);
const audit = createAuditRepository(db);
// Whoever runs the command has shell access to the deployment; the log says it came from there.
const by = systemAttribution('npm run apikey');
try {
  if (command.command === 'create') {
    const { key, record } = await issueApiKey(keys, {
      name: command.name,
      role: command.role,
      createdBy: null,
      expiresInDays: command.expiresInDays,
    });
    await audit.record(by, {
      action: 'api_key.created',
      target: { type: 'api_key', id: record.id },
      details: { name: record.name, prefix: record.prefix, role: record.role, expiresAt: record.expiresAt },
    });
    process.stdout.write(`${key}\n`);
    const expires = record.expiresAt ? `, expires ${record.expiresAt.toISOString()}` : '';
    console.error(
      `created API key ${record.id} (${record.name}, ${record.role}${expires}); it is shown only this once`,
    );
  } else if (command.command === 'list') {
    for (const key of await keys.list()) {
      const state = key.revokedAt ? 'revoked' : key.expiresAt && key.expiresAt <= new Date() ? 'expired' : 'active';
      const lastUsed = key.lastUsedAt?.toISOString() ?? 'never used';
      process.stdout.write(
        `${key.id}  catalog_${key.prefix}_…  ${key.role.padEnd(6)}  ${state.padEnd(7)}  ${lastUsed}  ${key.name}\n`,
      );
    }
  } else {
    const revoked = await keys.revoke(command.id);
    if (!revoked) {
      console.error(`no API key ${command.id}`);
      process.exitCode = 1;
    } else {
      await audit.record(by, {
        action: 'api_key.revoked',
        target: { type: 'api_key', id: revoked.id },
        details: { name: revoked.name, prefix: revoked.prefix },
      });
      console.error(`revoked API key ${revoked.id} (${revoked.name})`);
    }
  }
} finally {
  await db.close();
}
