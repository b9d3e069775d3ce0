import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { createSecretBox, SecretBoxError, secretBoxFromConfig } from './secret-box';

const newKey = () => new Uint8Array(randomBytes(32));
const code = (expected: string) => (error: unknown) => error instanceof SecretBoxError && error.code === expected;

test('a sealed value is v1:<key id>:<iv>:<ciphertext>:<tag>, fresh each time, and opens to the plaintext', () => {
  const key = newKey();
  const box = createSecretBox({ key });
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const sealed = box.seal(secret, 'endpoint-1');
  const [version, keyId, iv, ciphertext, tag, ...rest] = sealed.split(':');
  assert.equal(version, 'v1');
  assert.equal(keyId, createHash('sha256').update(key).digest('hex').slice(0, 8));
  assert.equal(box.keyId, keyId);
  assert.equal(Buffer.from(iv ?? '', 'base64').length, 12);
  assert.equal(Buffer.from(ciphertext ?? '', 'base64').length, Buffer.byteLength(secret));
  assert.equal(Buffer.from(tag ?? '', 'base64').length, 16);
  assert.deepEqual(rest, []);
  assert.ok(!sealed.includes(secret) && !sealed.includes(secret.slice(6)));
  assert.notEqual(box.seal(secret, 'endpoint-1'), sealed, 'a random IV per value');
  assert.equal(box.open(sealed, 'endpoint-1'), secret);
  assert.equal(box.keyIdOf(sealed), keyId);
  assert.equal(box.keyIdOf(secret), null);
});

test('a value opens with SECRETS_KEY_PREVIOUS during a rotation, and is sealed again under SECRETS_KEY', () => {
  const oldKey = newKey();
  const sealedBefore = createSecretBox({ key: oldKey }).seal('s3cret', 'ctx');
  const rotating = createSecretBox({ key: newKey(), previousKey: oldKey });
  assert.equal(rotating.open(sealedBefore, 'ctx'), 's3cret');
  const resealed = rotating.seal('s3cret', 'ctx');
  assert.notEqual(rotating.keyIdOf(resealed), rotating.keyIdOf(sealedBefore));
  assert.equal(rotating.keyIdOf(resealed), rotating.keyId);
});

test('a wrong key, an altered value, another context or a plaintext value is a clear error, never garbage', () => {
  const box = createSecretBox({ key: newKey() });
  const sealed = box.seal('s3cret', 'endpoint-1');
  const other = createSecretBox({ key: newKey() });
  assert.throws(
    () => other.open(sealed, 'endpoint-1'),
    (error: unknown) => {
      assert.ok(code('secret_key_unknown')(error));
      assert.match(String(error), new RegExp(`encrypted with key ${box.keyId}.*configured keys are ${other.keyId}`));
      return true;
    },
  );
  assert.throws(() => box.open(sealed, 'endpoint-2'), code('secret_unreadable'));
  const parts = sealed.split(':');
  const ciphertext = Buffer.from(parts[3] ?? '', 'base64');
  ciphertext[0] = (ciphertext[0] ?? 0) ^ 1;
  const altered = [...parts.slice(0, 3), ciphertext.toString('base64'), ...parts.slice(4)].join(':');
  assert.throws(() => box.open(altered, 'endpoint-1'), code('secret_unreadable'));
  assert.throws(() => box.open('whsec_plain', 'endpoint-1'), code('secret_not_sealed'));
});

test('a process without SECRETS_KEY gets a typed error that says how to make one', () => {
  assert.throws(
    () => secretBoxFromConfig({}),
    (error: unknown) => {
      assert.ok(code('secrets_key_missing')(error));
      assert.match(String(error), /SECRETS_KEY is required.*openssl rand -base64 32/);
      return true;
    },
  );
});
