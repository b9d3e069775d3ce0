import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashPassword, verifyPassword } from './passwords';

test('a password hash is a versioned scrypt string that verifies only its own password', async () => {
  const hash = await hashPassword('correct horse battery');
  assert.match(hash, /^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
  assert.equal(await verifyPassword('correct horse battery', hash), true);
  assert.equal(await verifyPassword('correct horse batterY', hash), false);
  assert.notEqual(await hashPassword('correct horse battery'), hash, 'each hash has its own salt');
});

test('a hash that is tampered with, truncated or too costly verifies nothing', async () => {
  const hash = await hashPassword('correct horse battery');
  const parts = hash.split('$');
  const flipped = [...parts.slice(0, 5), `${parts[5]?.startsWith('A') ? 'B' : 'A'}${parts[5]?.slice(1)}`].join('$');
  assert.equal(await verifyPassword('correct horse battery', flipped), false);
  assert.equal(await verifyPassword('correct horse battery', parts.slice(0, 5).join('$')), false);
  assert.equal(await verifyPassword('correct horse battery', hash.replace('$32768$', '$4194304$')), false);
  assert.equal(await verifyPassword('correct horse battery', 'plaintext'), false);
});
