import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { requestAs } from '../../../tests/support/auth';
import { type Stack, startStack } from '../../../tests/support/stack';

/** `npm run apikey`: the CLI from source and compiled, against the stack's database. */
const repoDir = fileURLToPath(new URL('../../..', import.meta.url));
const run = promisify(execFile);
const KEY_LINE = /^catalog_[0-9A-Za-z]{8}_[0-9A-Za-z]{32}\n$/;

let stack: Stack;
before(async () => {
  stack = await startStack({ worker: false });
});
after(async () => {
  await stack?.stop();
});

const cli = (entry: string[], args: string[]) =>
  run(process.execPath, [...entry, ...args], {
    cwd: repoDir,
    env: { ...process.env, DATABASE_URL: stack.config.DATABASE_URL },
  });
const fromSource = ['--import', 'tsx', 'api/src/auth/apikey-cli.ts'];

test('create prints only the key on stdout; the key works; list shows it; revoke ends it', async () => {
  const created = await cli(fromSource, ['create', '--name', 'CLI made', '--role', 'admin', '--expires-in', '30d']);
  assert.match(created.stdout, KEY_LINE);
  const key = created.stdout.trim();
  assert.match(created.stderr, /shown only this once/);

  assert.equal((await requestAs(stack.baseUrl, { key }, '/api/api-keys')).status, 200);
  const { rows } = await stack.deps.db.pool.query<{ id: string; created_by: string | null; days: number }>(
    `select id, created_by, extract(epoch from expires_at - created_at) / 86400 as days from api_keys where prefix = $1`,
    [key.split('_')[1]],
  );
  assert.equal(rows[0]?.created_by, null, 'made by the CLI, not a user');
  assert.equal(Math.round(Number(rows[0]?.days)), 30);
  const id = rows[0]?.id ?? '';

  const listed = await cli(fromSource, ['list']);
  const line = listed.stdout.split('\n').find((l) => l.startsWith(id)) ?? '';
  assert.match(line, /admin\s+active\s+.*CLI made$/);
  assert.ok(!listed.stdout.includes(key), 'list never prints a key');

  const revoked = await cli(fromSource, ['revoke', '--id', id]);
  assert.equal(revoked.stdout, '');
  assert.equal((await requestAs(stack.baseUrl, { key }, '/api/api-keys')).status, 401);
});

test('bad arguments exit with 2, the usage on stderr and nothing on stdout', async () => {
  for (const args of [[], ['create', '--name', 'x', '--role', 'root'], ['create', '--role', 'viewer'], ['revoke']]) {
    await assert.rejects(cli(fromSource, args), (error: { code?: number; stdout?: string; stderr?: string }) => {
      assert.equal(error.code, 2, args.join(' '));
      assert.equal(error.stdout, '');
      assert.match(error.stderr ?? '', /usage:/);
      return true;
    });
  }
});

test('the compiled CLI (dist/apikey/main.js, which npm test builds) creates keys too', async (t) => {
  const compiled = join(repoDir, 'dist/apikey/main.js');
  if (!existsSync(compiled)) return t.skip('no dist/ build: run through npm test');
  const created = await cli([compiled], ['create', '--name', 'compiled', '--role', 'viewer']);
  assert.match(created.stdout, KEY_LINE);
});
