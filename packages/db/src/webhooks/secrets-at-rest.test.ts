import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { unmigratedDatabase } from '../../../../tests/support/database';
import { type Database, openDatabase } from '../orm';
import { createSecretBox } from '../secrets/secret-box';
import { createWebhookRepository } from './endpoint-repository';
import { sealEndpointSecret } from './endpoint-secrets';
import { loadLaneBatch } from './lane-batch';
import { reencryptWebhookSecrets } from './reencrypt-secrets';

/**
 * Secrets at rest on a database of the test's own, migrated by the test: rows written in plaintext
 * before the encryption migration, sealed at start; then a key rotation with the secrets CLI.
 */
const root = path.resolve(import.meta.dirname, '../../../..');
const oldKey = randomBytes(32);
const newKey = randomBytes(32);
const box = createSecretBox({ key: oldKey });
let database: Awaited<ReturnType<typeof unmigratedDatabase>>;
let db: Database;

before(async () => {
  database = await unmigratedDatabase();
  db = await openDatabase({ databaseUrl: database.url, poolSize: 2 });
});
after(async () => {
  await db?.close();
  await database?.drop();
});

type StoredRow = { id: string; secret: string; previous_secret: string | null };
const storedRows = async () =>
  (await db.pool.query<StoredRow>('select id, secret, previous_secret from webhook_endpoints order by id')).rows;

const insertEndpoints = (rows: { id: string; secret: string; previous: string | null }[]) =>
  db.pool.query(
    `insert into webhook_endpoints (id, name, url, secret, previous_secret, previous_secret_expires_at)
     select id, 'at rest', 'https://example.com/hook', secret, previous, now() + interval '1 day'
     from unnest($1::uuid[], $2::text[], $3::text[]) as v(id, secret, previous)`,
    [rows.map((r) => r.id), rows.map((r) => r.secret), rows.map((r) => r.previous)],
  );

const secretsCli = (keys: { key: Buffer; previous?: Buffer }) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'packages/db/src/secrets/secrets-cli.ts', 'rotate'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: database.url,
      SECRETS_KEY: keys.key.toString('base64'),
      ...(keys.previous ? { SECRETS_KEY_PREVIOUS: keys.previous.toString('hex') } : {}),
    },
    encoding: 'utf8',
    timeout: 120_000,
  });

const legacy = [
  { id: randomUUID(), secret: `whsec_${randomBytes(24).toString('base64')}`, previous: null },
  {
    id: randomUUID(),
    secret: `whsec_${randomBytes(24).toString('base64')}`,
    previous: `whsec_${randomBytes(24).toString('base64')}`,
  },
];

test('secrets stored in plaintext before the migration are sealed at start, and no new plaintext is accepted', async () => {
  await db.orm.migrator.up({ to: 'Migration20261217000000_users_sessions_api_keys' });
  await insertEndpoints(legacy);
  await db.orm.migrator.up();

  await assert.rejects(
    insertEndpoints([{ id: randomUUID(), secret: 'whsec_plain', previous: null }]),
    /webhook_endpoints_secrets_sealed/,
  );

  assert.equal(await reencryptWebhookSecrets(db.pool, box, 'plaintext'), 2);
  for (const row of await storedRows()) {
    const before = legacy.find((endpoint) => endpoint.id === row.id);
    assert.ok(before);
    assert.ok(row.secret.startsWith(`v1:${box.keyId}:`), row.secret);
    assert.ok(!row.secret.includes(before.secret.slice(6)));
    if (before.previous) {
      assert.ok(row.previous_secret?.startsWith(`v1:${box.keyId}:`));
      assert.ok(!row.previous_secret?.includes(before.previous.slice(6)));
    } else assert.equal(row.previous_secret, null);
  }
  // A second start finds nothing to do, and changes nothing.
  const sealed = await storedRows();
  assert.equal(await reencryptWebhookSecrets(db.pool, box, 'plaintext'), 0);
  assert.deepEqual(await storedRows(), sealed);

  const repository = createWebhookRepository(db, box);
  const [plain, rotated] = legacy;
  assert.ok(plain && rotated);
  assert.equal((await repository.readSecrets(plain.id))?.secret, plain.secret);
  const both = await repository.readSecrets(rotated.id);
  assert.deepEqual([both?.secret, both?.previousSecret], [rotated.secret, rotated.previous]);
  const lane = await loadLaneBatch(db.pool, box, rotated.id, 1);
  assert.deepEqual(lane?.endpoint.secrets, [rotated.secret, rotated.previous], 'a lane signs with both');
});

test('rotate re-encrypts every secret under SECRETS_KEY in batches, once; a wrong key changes nothing', async () => {
  // More rows than one batch holds, sealed under the old key beside the two sealed at start.
  const many = Array.from({ length: 450 }, (_, i) => {
    const id = randomUUID();
    const secret = `whsec_many_${i}_${randomBytes(8).toString('hex')}`;
    return { id, plain: secret, secret: sealEndpointSecret(box, id, secret), previous: null };
  });
  await insertEndpoints(many);
  const before = await storedRows();
  assert.equal(before.length, 452);

  const wrong = secretsCli({ key: randomBytes(32) });
  assert.equal(wrong.status, 1, wrong.stderr);
  assert.match(wrong.stderr, new RegExp(`encrypted with key ${box.keyId}, but the configured keys are [0-9a-f]{8}`));
  assert.deepEqual(await storedRows(), before, 'a refused rotation leaves every row as it was');

  const rotating = createSecretBox({ key: newKey, previousKey: oldKey });
  const rotation = secretsCli({ key: newKey, previous: oldKey });
  assert.equal(rotation.status, 0, rotation.stderr);
  assert.equal(
    rotation.stdout.trim(),
    `re-encrypted 452 webhook endpoint secret(s) with key ${rotating.keyId}; 0 already used it`,
  );
  const again = secretsCli({ key: newKey, previous: oldKey });
  assert.equal(
    again.stdout.trim(),
    `re-encrypted 0 webhook endpoint secret(s) with key ${rotating.keyId}; 452 already used it`,
  );

  for (const row of await storedRows()) {
    assert.ok(row.secret.startsWith(`v1:${rotating.keyId}:`));
    if (row.previous_secret !== null) assert.ok(row.previous_secret.startsWith(`v1:${rotating.keyId}:`));
  }
  // Once rotated, the new key alone opens everything; the old key alone opens nothing.
  const afterRotation = createWebhookRepository(db, createSecretBox({ key: newKey }));
  const sample = many[321];
  assert.ok(sample);
  assert.equal((await afterRotation.readSecrets(sample.id))?.secret, sample.plain);
  const [, rotated] = legacy;
  assert.ok(rotated);
  const both = await afterRotation.readSecrets(rotated.id);
  assert.deepEqual([both?.secret, both?.previousSecret], [rotated.secret, rotated.previous]);
  await assert.rejects(createWebhookRepository(db, box).readSecrets(sample.id), {
    name: 'SecretBoxError',
    code: 'secret_key_unknown',
  });
});
