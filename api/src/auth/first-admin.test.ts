import assert from 'node:assert/strict';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { signIn } from '../../../tests/support/auth';
import { type Stack, startStack } from '../../../tests/support/stack';
import { ensureAdmin, GENERATED_ADMIN_EMAIL } from './first-admin';

/** The first admin, in databases of their own (it is only made while there is no user at all). */
const stacks: Stack[] = [];
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'catalog-admin-'));
});
after(async () => {
  await Promise.allSettled(stacks.map((stack) => stack.stop()));
});

async function emptyStack(): Promise<Stack> {
  const stack = await startStack({ isolated: true, worker: false });
  stacks.push(stack);
  return stack;
}

test('with no ADMIN_ variables, a generated password goes to an owner-only file and signs in', async () => {
  const stack = await emptyStack();
  const credentialsFile = join(dir, 'nested', 'admin-credentials.txt');
  const admin = await ensureAdmin(stack.deps.auth.users, { credentialsFile });
  assert.ok(admin?.password, 'a password was generated');
  assert.equal(admin.email, GENERATED_ADMIN_EMAIL);
  assert.equal((await stat(credentialsFile)).mode & 0o777, 0o600);
  const text = await readFile(credentialsFile, 'utf8');
  assert.match(text, new RegExp(`^email: ${GENERATED_ADMIN_EMAIL}$`, 'm'));
  assert.match(text, new RegExp(`^password: ${admin.password}$`, 'm'));
  assert.match(await signIn(stack.baseUrl, admin.email, admin.password), /^catalog_session=/);
  const { rows } = await stack.deps.db.pool.query<{ role: string }>('select role from users');
  assert.deepEqual(rows, [{ role: 'admin' }]);

  assert.equal(await ensureAdmin(stack.deps.auth.users, { credentialsFile }), null, 'once a user exists, nothing');
  assert.equal(await readFile(credentialsFile, 'utf8'), text, 'and the file is left as it was');
});

test('an older, world-readable credentials file is replaced by an owner-only one', async () => {
  const stack = await emptyStack();
  const credentialsFile = join(dir, 'old-admin-credentials.txt');
  await writeFile(credentialsFile, 'stale\n', { mode: 0o644 });
  const admin = await ensureAdmin(stack.deps.auth.users, { credentialsFile });
  assert.equal((await stat(credentialsFile)).mode & 0o777, 0o600);
  assert.match(await readFile(credentialsFile, 'utf8'), new RegExp(`password: ${admin?.password}`));
});

test('ADMIN_EMAIL and ADMIN_PASSWORD make that admin and write no file; racing starts make one', async () => {
  const stack = await emptyStack();
  const credentialsFile = join(dir, 'unused.txt');
  const options = { email: 'Owner@Example.test', password: 'chosen-password-1', credentialsFile };
  const results = await Promise.all([
    ensureAdmin(stack.deps.auth.users, options),
    ensureAdmin(stack.deps.auth.users, options),
  ]);
  assert.equal(results.filter((result) => result !== null).length, 1, 'one of two racing starts creates it');
  assert.deepEqual(
    results.find((result) => result !== null),
    { email: 'Owner@Example.test', password: null, credentialsFile: null },
  );
  await assert.rejects(stat(credentialsFile), { code: 'ENOENT' });
  assert.match(await signIn(stack.baseUrl, 'owner@example.test', 'chosen-password-1'), /^catalog_session=/);
  const { rows } = await stack.deps.db.pool.query('select 1 from users');
  assert.equal(rows.length, 1);
});
