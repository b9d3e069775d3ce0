import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { ROLES, type Role, roleAtLeast, roleSchema } from '@catalog/domain';
import { requestAs, signedInUser } from '../../../tests/support/auth';
import { type Stack, startStack } from '../../../tests/support/stack';
import { issueApiKey } from '../auth/api-keys';
import { createOpenApiDocument } from './document';

/**
 * Generated from the OpenAPI document: every operation that declares `x-required-role` answers 401
 * without credentials, 403 to each lower role, and lets its role and higher ones through. (Wave 2
 * makes every /api operation declare one.)
 */
type Operation = { method: string; path: string; role: Role; sessionOnly: boolean };

function guardedOperations(): Operation[] {
  return Object.entries(createOpenApiDocument().paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item as Record<string, { 'x-required-role'?: unknown; security?: Record<string, unknown>[] }>)
      .filter(([, operation]) => typeof operation === 'object' && operation['x-required-role'] !== undefined)
      .map(([method, operation]) => ({
        method: method.toUpperCase(),
        path: path.replace(/\{\w+\}/g, randomUUID()),
        role: roleSchema.parse(operation['x-required-role']),
        sessionOnly: !(operation.security ?? []).some((requirement) => 'apiKey' in requirement),
      })),
  );
}

let stack: Stack;
before(async () => {
  stack = await startStack({ worker: false });
});
after(async () => {
  await stack?.stop();
});

test('every operation with a declared role refuses anonymous requests and lower roles, and admits its own', async () => {
  const operations = guardedOperations();
  assert.ok(operations.length >= 9, 'the access routes declare their roles');
  const sessions = Object.fromEntries(
    await Promise.all(ROLES.map(async (role) => [role, { cookie: (await signedInUser(stack, role)).cookie }])),
  ) as Record<Role, { cookie: string }>;
  const keys = Object.fromEntries(
    await Promise.all(
      ROLES.map(async (role) => [
        role,
        { key: (await issueApiKey(stack.deps.auth.apiKeys, { name: `openapi ${role}`, role, createdBy: null })).key },
      ]),
    ),
  ) as Record<Role, { key: string }>;
  for (const op of operations) {
    const send = (credentials: Parameters<typeof requestAs>[1]) =>
      requestAs(stack.baseUrl, credentials, op.path, {
        method: op.method,
        ...(op.method === 'POST' || op.method === 'PATCH' ? { body: {} } : {}),
      });
    const name = `${op.method} ${op.path}`;
    assert.equal((await send(null)).status, 401, `anonymous ${name}`);
    for (const role of ROLES) {
      const allowed = roleAtLeast(role, op.role);
      const bySession = (await send(sessions[role])).status;
      if (allowed) assert.ok(![401, 403].includes(bySession), `${role} session ${name}: ${bySession}`);
      else assert.equal(bySession, 403, `${role} session ${name}`);
      const byKey = (await send(keys[role])).status;
      if (op.sessionOnly) assert.equal(byKey, 401, `${role} key ${name}`);
      else if (allowed) assert.ok(![401, 403].includes(byKey), `${role} key ${name}: ${byKey}`);
      else assert.equal(byKey, 403, `${role} key ${name}`);
    }
  }
});
