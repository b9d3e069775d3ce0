import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { z } from 'zod';
import { createTestUser, requestAs } from '../../../tests/support/auth';
import { type Stack, startStack } from '../../../tests/support/stack';

/**
 * Brute force against sign-in. Behind a trusted proxy, so each test signs in from an address of
 * its own (X-Forwarded-For) and counts only its own attempts, whatever else shares Redis.
 */
let stack: Stack;
before(async () => {
  stack = await startStack({
    worker: false,
    env: { TRUST_PROXY: 'true', SIGN_IN_MAX_FAILURES_PER_ACCOUNT: '3', SIGN_IN_MAX_FAILURES_PER_ADDRESS: '5' },
  });
});
after(async () => {
  await stack?.stop();
});

const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const freshAddress = () => `198.18.${randomInt(256)}.${randomInt(1, 255)}`;
const signIn = (email: string, password: string, address: string) =>
  requestAs(stack.baseUrl, null, '/api/auth/sign-in', {
    method: 'POST',
    body: { email, password },
    headers: { 'x-forwarded-for': address },
  });

async function assertRefused(response: Response): Promise<void> {
  assert.equal(response.status, 429);
  const retryAfter = Number(response.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 15 * 60, `Retry-After ${retryAfter}`);
  assert.equal(errorBody.parse(await response.json()).error.code, 'too_many_attempts');
}

test('after the allowed failures for an account, even the right password gets 429 with Retry-After', async () => {
  const user = await createTestUser(stack, 'editor');
  // Each from its own address: only the account's count is at work.
  for (let i = 0; i < 3; i++) assert.equal((await signIn(user.email, 'wrong password', freshAddress())).status, 401);
  await assertRefused(await signIn(user.email, user.password, freshAddress()));
  // The same account however the email is written.
  await assertRefused(await signIn(`  ${user.email.toUpperCase()} `, user.password, freshAddress()));
});

test('an unknown account is limited exactly like an existing one, so the answer reveals nothing', async () => {
  const email = `nobody-${randomUUID()}@example.test`;
  for (let i = 0; i < 3; i++) assert.equal((await signIn(email, 'wrong password', freshAddress())).status, 401);
  await assertRefused(await signIn(email, 'wrong password', freshAddress()));
});

test("a successful sign-in forgets the account's failures", async () => {
  const user = await createTestUser(stack, 'viewer');
  const address = freshAddress();
  for (let i = 0; i < 2; i++) assert.equal((await signIn(user.email, 'wrong password', address)).status, 401);
  assert.equal((await signIn(user.email, user.password, address)).status, 200);
  for (let i = 0; i < 2; i++) assert.equal((await signIn(user.email, 'wrong password', address)).status, 401);
  assert.equal((await signIn(user.email, user.password, address)).status, 200, 'two failures since: under the limit');
});

test('one address failing across many accounts is refused, for every account, while other addresses are not', async () => {
  const address = freshAddress();
  for (let i = 0; i < 5; i++) {
    // What the client writes in X-Forwarded-For before our proxy's entry changes nothing.
    const forwarded = `${freshAddress()}, ${address}`;
    assert.equal((await signIn(`guess-${randomUUID()}@example.test`, 'wrong password', forwarded)).status, 401);
  }
  const user = await createTestUser(stack, 'viewer');
  await assertRefused(await signIn(user.email, user.password, address));
  assert.equal((await signIn(user.email, user.password, freshAddress())).status, 200);
});
