import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { importAcceptedSchema } from '@catalog/domain';
import { z } from 'zod';
import { requestAs, signedInUser, signIn, type TestUser } from '../../../tests/support/auth';
import { finalEvent, generatedCsv } from '../../../tests/support/imports';
import { type Stack, startStack } from '../../../tests/support/stack';
import { issueApiKey } from '../auth/api-keys';

/**
 * A page on another site cannot make a signed-in visitor's browser change anything: the attack of
 * issue 9 is a cross-site multipart form that uploads a CSV over the catalog. The stack has a
 * database of its own, so "no import was started" is a count of its jobs.
 */
let stack: Stack;
let editor: TestUser & { cookie: string };
before(async () => {
  // Outside production the localhost forms stay allowed, so the stack is reached at 127.0.0.1 too.
  stack = await startStack({ isolated: true, env: { PUBLIC_URL: 'https://catalog.example.com' } });
  editor = await signedInUser(stack, 'editor');
});
after(async () => {
  await stack?.stop();
});

const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const EVIL = 'https://evil.example';

/** A multipart upload as a browser form sends it, with the headers the browser would add. */
function uploadWith(headers: Record<string, string>, prefix: string): Promise<Response> {
  const form = new FormData();
  form.append('file', new Blob([generatedCsv(prefix, 20, 'new')]), 'catalog.csv');
  return fetch(`${stack.baseUrl}/api/imports`, { method: 'POST', headers, body: form });
}

const importJobs = async () =>
  Number((await stack.deps.db.pool.query<{ n: string }>(`select count(*) as n from jobs`)).rows[0]?.n);

async function assertRefused(response: Response, origin: RegExp) {
  assert.equal(response.status, 403);
  const { error } = errorBody.parse(await response.json());
  assert.equal(error.code, 'csrf_refused');
  assert.match(error.message, origin);
}

test('a cross-origin multipart upload with a valid session cookie is refused, and starts nothing', async () => {
  const before = await importJobs();
  await assertRefused(
    await uploadWith({ cookie: editor.cookie, origin: EVIL }, 'csrf-evil'),
    /not from https:\/\/evil\.example/,
  );
  await assertRefused(await uploadWith({ cookie: editor.cookie, origin: 'null' }, 'csrf-null'), /not from null/);
  assert.equal(await importJobs(), before);
});

test('without any credentials, an upload is refused wherever it comes from, and starts nothing', async () => {
  const before = await importJobs();
  for (const headers of [{ origin: EVIL }, { 'sec-fetch-site': 'cross-site' }, {}] as Record<string, string>[]) {
    const response = await uploadWith(headers, 'csrf-anon');
    assert.equal(response.status, 401, JSON.stringify(headers));
    assert.equal(errorBody.parse(await response.json()).error.code, 'unauthenticated');
  }
  assert.equal(await importJobs(), before);
});

test('a cross-site sign-in is refused: a page cannot sign its visitor into an account of its choosing', async () => {
  const signInFrom = (origin: string) =>
    fetch(`${stack.baseUrl}/api/auth/sign-in`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({ email: editor.email, password: editor.password }),
    });
  await assertRefused(await signInFrom(EVIL), /not from https:\/\/evil\.example/);
  assert.equal((await signInFrom(new URL(stack.baseUrl).origin)).status, 200);
});

test('the same upload from the app itself is accepted', async () => {
  const response = await uploadWith({ cookie: editor.cookie, origin: stack.baseUrl }, 'csrf-same');
  assert.equal(response.status, 202);
  const { jobId } = importAcceptedSchema.parse(await response.json());
  // Waited for: an unfinished import would hold the next one in the queue.
  assert.equal((await finalEvent(await stack.as('viewer'), jobId)).event, 'completed');
});

test('without Origin, Sec-Fetch-Site decides; with neither, a cookie request is refused', async () => {
  const signOut = (headers: Record<string, string>) =>
    fetch(`${stack.baseUrl}/api/auth/sign-out`, { method: 'POST', headers: { cookie: editor.cookie, ...headers } });
  await assertRefused(await signOut({}), /send Origin/);
  await assertRefused(await signOut({ 'sec-fetch-site': 'cross-site' }), /send Origin/);
  await assertRefused(await signOut({ 'sec-fetch-site': 'same-site' }), /send Origin/);
  const other = await signIn(stack.baseUrl, editor.email, editor.password);
  const ownNavigation = await fetch(`${stack.baseUrl}/api/auth/sign-out`, {
    method: 'POST',
    headers: { cookie: other, 'sec-fetch-site': 'none' },
  });
  assert.equal(ownNavigation.status, 204);
  const third = await signIn(stack.baseUrl, editor.email, editor.password);
  const sameOrigin = await fetch(`${stack.baseUrl}/api/auth/sign-out`, {
    method: 'POST',
    headers: { cookie: third, 'sec-fetch-site': 'same-origin' },
  });
  assert.equal(sameOrigin.status, 204);
  assert.equal(
    (await requestAs(stack.baseUrl, editor, '/api/auth/me')).status,
    200,
    'the refused sign-outs did nothing',
  );
});

test("PUBLIC_URL's origin is the app's own (TLS ends at a proxy); the same host over http is not", async () => {
  const session = await signIn(stack.baseUrl, editor.email, editor.password);
  const signOut = (origin: string) =>
    fetch(`${stack.baseUrl}/api/auth/sign-out`, { method: 'POST', headers: { cookie: session, origin } });
  await assertRefused(await signOut('http://catalog.example.com'), /not from http:\/\/catalog\.example\.com/);
  await assertRefused(await signOut('https://catalog.example.com.evil.example'), /evil\.example/);
  assert.equal((await signOut('https://Catalog.Example.com:443')).status, 204);
});

test('a cross-origin password change is refused and the password stays', async () => {
  const user = await signedInUser(stack, 'viewer');
  const response = await requestAs(stack.baseUrl, user, '/api/auth/password', {
    method: 'POST',
    headers: { origin: EVIL },
    body: { currentPassword: user.password, newPassword: 'chosen-by-the-attacker' },
  });
  await assertRefused(response, /evil\.example/);
  assert.equal(typeof (await signIn(stack.baseUrl, user.email, user.password)), 'string');
});

test('reads with a cookie from anywhere are not CSRF: the same-origin policy keeps their answers from the page', async () => {
  const response = await requestAs(stack.baseUrl, editor, '/api/auth/me', { headers: { origin: EVIL } });
  assert.equal(response.status, 200);
});

test('a request with an API key and no Origin is not refused: browsers never send keys on their own', async () => {
  const { key } = await issueApiKey(stack.deps.auth.apiKeys, { name: 'csrf test', role: 'editor', createdBy: null });
  const response = await uploadWith({ authorization: `Bearer ${key}` }, 'csrf-key');
  assert.equal(response.status, 202);
  const { jobId } = importAcceptedSchema.parse(await response.json());
  assert.equal((await finalEvent(await stack.as('viewer'), jobId)).event, 'completed');
});
