import { randomUUID } from 'node:crypto';
import type { Role } from '@catalog/domain';
import { hashPassword } from '../../api/src/auth/passwords';
import { type Credentials, credentialHeaders } from './api';
import type { Stack } from './stack';

export type { Credentials };

export type TestUser = { id: string; email: string; password: string; role: Role };

/** A user of the test's own (unique email), written straight to the database. */
export async function createTestUser(stack: Stack, role: Role): Promise<TestUser> {
  const email = `${role}-${randomUUID()}@example.test`;
  const password = `pw-${randomUUID()}`;
  const user = await stack.deps.auth.users.create({
    id: randomUUID(),
    email,
    role,
    passwordHash: await hashPassword(password),
  });
  if (!user) throw new Error(`could not create ${email}`);
  return { id: user.id, email, password, role };
}

/** Signs in through the API; the answer is the `Cookie` header value that carries the session. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`sign-in as ${email} answered ${response.status}`);
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith('catalog_session='));
  if (!cookie) throw new Error('sign-in set no catalog_session cookie');
  return cookie.split(';')[0] ?? '';
}

export async function signedInUser(stack: Stack, role: Role): Promise<TestUser & { cookie: string }> {
  const user = await createTestUser(stack, role);
  return { ...user, cookie: await signIn(stack.baseUrl, user.email, user.password) };
}

/**
 * fetch with a session cookie, an API key, or nothing; a `body` is sent as JSON. With a cookie it
 * sends `Origin: <baseUrl>` as the app's own page in a browser would (`init.headers` may override it,
 * but never the API key).
 */
export function requestAs(
  baseUrl: string,
  credentials: Credentials,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response> {
  const { authorization, ...sent } = credentialHeaders(baseUrl, credentials);
  const headers: Record<string, string> = { ...sent, ...init.headers };
  if (authorization) headers.authorization = authorization;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
}
