import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config';

const valid = { DATABASE_URL: 'postgres://user@localhost:5432/catalog' };

test('defaults fill everything but the database', () => {
  const config = loadConfig(valid);
  assert.equal(config.PORT, 3000);
  assert.equal(config.TEMPORAL_ADDRESS, '127.0.0.1:7233');
  assert.equal(config.UPLOAD_MAX_BYTES, 1024 ** 3);
  assert.equal(config.WEBHOOK_ALLOW_PRIVATE_NETWORKS, false);
  assert.equal(config.REDIS_URL, undefined);
});

test('the API listens on loopback, knows no public URL and trusts no proxy unless told', () => {
  const config = loadConfig(valid);
  assert.equal(config.HOST, '127.0.0.1');
  assert.equal(config.PUBLIC_URL, undefined);
  assert.deepEqual(config.ALLOWED_HOSTS, []);
  assert.equal(config.TRUST_PROXY, false);
  assert.equal(loadConfig({ ...valid, HOST: '0.0.0.0' }).HOST, '0.0.0.0');
  assert.equal(loadConfig({ ...valid, TRUST_PROXY: 'true' }).TRUST_PROXY, true);
});

test('ALLOWED_HOSTS is a comma list of host names, lowercased; a scheme or port is refused', () => {
  assert.deepEqual(loadConfig({ ...valid, ALLOWED_HOSTS: ' Catalog.internal, [::1] ,,' }).ALLOWED_HOSTS, [
    'catalog.internal',
    '[::1]',
  ]);
  for (const bad of ['https://catalog.internal', 'catalog.internal:3000']) {
    assert.throws(() => loadConfig({ ...valid, ALLOWED_HOSTS: bad }), /ALLOWED_HOSTS.*must be host names/);
  }
  assert.throws(() => loadConfig({ ...valid, PUBLIC_URL: 'catalog.example.com' }), /PUBLIC_URL.*must be a URL/);
});

test('an empty value means the default', () => {
  assert.equal(loadConfig({ ...valid, PORT: '' }).PORT, 3000);
});

test('each bad value is named with what is wrong, one line each', () => {
  assert.throws(
    () =>
      loadConfig({
        DATABASE_URL: 'mysql://x',
        PORT: 'abc',
        REDIS_URL: 'nope',
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'maybe',
      }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(error.problems, [
        'Invalid configuration: PORT="abc" must be a port number',
        'Invalid configuration: DATABASE_URL="mysql://x" must be a URL starting with postgres:// or postgresql://',
        'Invalid configuration: REDIS_URL="nope" must be a URL starting with redis:// or rediss://',
        'Invalid configuration: WEBHOOK_ALLOW_PRIVATE_NETWORKS="maybe" must be true or false',
      ]);
      return true;
    },
  );
  assert.throws(() => loadConfig({}), /DATABASE_URL is required/);
});

test('the upload store is a folder by default; s3 needs a bucket and both keys or neither', () => {
  const defaults = loadConfig(valid);
  assert.equal(defaults.UPLOAD_STORE, 'fs');
  assert.equal(defaults.UPLOAD_DIR, '.data/uploads');
  assert.equal(defaults.S3_REGION, 'us-east-1');
  assert.equal(defaults.S3_FORCE_PATH_STYLE, false);
  const s3 = loadConfig({ ...valid, UPLOAD_STORE: 's3', S3_BUCKET: 'catalog', S3_PREFIX: '/staging/uploads' });
  assert.equal(s3.S3_PREFIX, 'staging/uploads/');
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig({ ...valid, ...env });
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    return [];
  };
  assert.deepEqual(problems({ UPLOAD_STORE: 's3' }), [
    'Invalid configuration: S3_BUCKET is required when UPLOAD_STORE=s3',
  ]);
  assert.deepEqual(problems({ UPLOAD_STORE: 'gcs' }), ['Invalid configuration: UPLOAD_STORE="gcs" must be fs or s3']);
  assert.deepEqual(problems({ UPLOAD_STORE: 's3', S3_BUCKET: 'b', S3_SECRET_ACCESS_KEY: 'hunter2' }), [
    'Invalid configuration: S3_ACCESS_KEY_ID is required with the other S3 key',
  ]);
  assert.deepEqual(problems({ S3_ENDPOINT: 'minio:9000' }), [
    'Invalid configuration: S3_ENDPOINT="minio:9000" must be a URL starting with http:// or https://',
  ]);
});

for (const entry of ['api/src/server.ts', 'activities/src/worker.ts']) {
  test(`${entry} stops at start with one line naming a bad setting`, () => {
    const root = path.resolve(import.meta.dirname, '../../..');
    const run = spawnSync(process.execPath, ['--import', 'tsx', entry], {
      cwd: root,
      env: { PATH: process.env.PATH, PORT: 'abc', DATABASE_URL: 'not a url' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(run.status, 1);
    assert.deepEqual(run.stderr.trim().split('\n'), [
      'Invalid configuration: PORT="abc" must be a port number',
      'Invalid configuration: DATABASE_URL="not a url" must be a URL starting with postgres:// or postgresql://',
    ]);
  });
}

test('SECRETS_KEY is 32 bytes as hex or base64, and a bad one is never echoed', () => {
  const bytes = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
  const hex = Buffer.from(bytes).toString('hex');
  assert.deepEqual(loadConfig({ ...valid, SECRETS_KEY: hex }).SECRETS_KEY, bytes);
  assert.deepEqual(loadConfig({ ...valid, SECRETS_KEY: Buffer.from(bytes).toString('base64') }).SECRETS_KEY, bytes);
  assert.deepEqual(
    loadConfig({ ...valid, SECRETS_KEY_PREVIOUS: Buffer.from(bytes).toString('base64url') }).SECRETS_KEY_PREVIOUS,
    bytes,
  );
  const short = Buffer.from(bytes.subarray(0, 31)).toString('base64');
  assert.throws(
    () => loadConfig({ ...valid, SECRETS_KEY: short }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(error.problems, [
        'Invalid configuration: SECRETS_KEY=(hidden) must be 32 bytes, as 64 hex digits or base64 (openssl rand -base64 32)',
      ]);
      assert.ok(!error.message.includes(short));
      return true;
    },
  );
});

test('production refuses to start without SECRETS_KEY; development does not need one', () => {
  assert.equal(loadConfig({ ...valid, NODE_ENV: 'development' }).SECRETS_KEY, undefined);
  assert.throws(
    () => loadConfig({ ...valid, NODE_ENV: 'production' }),
    /^ConfigError: Invalid configuration: SECRETS_KEY is required when NODE_ENV=production/,
  );
});

const missingKey = [
  {
    entry: 'api/src/server.ts',
    nodeEnv: 'production',
    line: 'Invalid configuration: SECRETS_KEY is required when NODE_ENV=production (32 bytes: openssl rand -base64 32)',
  },
  {
    entry: 'activities/src/worker.ts',
    nodeEnv: 'development',
    line: 'Invalid configuration: SECRETS_KEY is required (32 bytes: openssl rand -base64 32; npm start keeps one in .data/secrets.key)',
  },
];
for (const { entry, nodeEnv, line } of missingKey) {
  test(`${entry} with NODE_ENV=${nodeEnv} and no SECRETS_KEY stops at start with one line`, () => {
    const root = path.resolve(import.meta.dirname, '../../..');
    const run = spawnSync(process.execPath, ['--import', 'tsx', entry], {
      cwd: root,
      env: { PATH: process.env.PATH, NODE_ENV: nodeEnv, DATABASE_URL: valid.DATABASE_URL },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(run.status, 1);
    assert.deepEqual(run.stderr.trim().split('\n'), [line]);
  });
}
