import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { ROLES, type Role, roleAtLeast, roleSchema, systemAttribution } from '@catalog/domain';
import { z } from 'zod';
import { apiAs } from '../../../tests/support/api';
import { type Credentials, requestAs, signedInUser } from '../../../tests/support/auth';
import { generatedCsv, readEvents, startImport } from '../../../tests/support/imports';
import { type Stack, startStack } from '../../../tests/support/stack';
import { issueApiKey } from '../auth/api-keys';
import { isPublicRoute } from '../auth/require-credentials';
import { createOpenApiDocument } from './document';

/**
 * Access control, generated from the OpenAPI document so a new route cannot slip through: every
 * operation either declares `security` and `x-required-role`, or is one of the public operations
 * named here (and in the middleware's PUBLIC_ROUTES). Each guarded operation answers 401 without
 * credentials, 403 naming its role to every lower role, and neither to its role and higher ones.
 * Requests are harmless: ids that do not exist, bodies that fail validation.
 */
const PUBLIC_OPERATIONS = new Set([
  'GET /health/live',
  'GET /health/ready',
  'POST /api/auth/sign-in',
  'POST /api/auth/sign-out',
  // Single sign-on (api/src/routes/auth/oidc-routes.ts), before there is a session.
  'GET /api/auth/providers',
  'GET /api/auth/oidc/start',
  'GET /api/auth/oidc/callback',
  'GET /api/openapi.json',
  'GET /api/docs',
]);

const OPERATION_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch']);

type DocumentedOperation = {
  'x-required-role'?: unknown;
  security?: Record<string, unknown>[];
  description?: string;
};
type Operation = {
  name: string;
  method: string;
  path: string;
  role: Role | null;
  sessionOnly: boolean;
  description: string;
};

function operations(): Operation[] {
  return Object.entries(createOpenApiDocument().paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item as Record<string, DocumentedOperation>)
      .filter(([method]) => OPERATION_METHODS.has(method))
      .map(([method, operation]) => ({
        name: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        // Ids that exist nowhere: a UUID, which a numeric id refuses with a 400.
        path: path.replace(/\{\w+\}/g, randomUUID()),
        role: operation['x-required-role'] === undefined ? null : roleSchema.parse(operation['x-required-role']),
        sessionOnly:
          operation.security !== undefined && !operation.security.some((requirement) => 'apiKey' in requirement),
        description: operation.description ?? '',
      })),
  );
}

const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

let stack: Stack;
let sessions: Record<Role, { cookie: string }>;
let keys: Record<Role, { key: string }>;
before(async () => {
  stack = await startStack({ isolated: true, env: { SSE_POLL_MS: '100' } });
  const byRole = <T>(make: (role: Role) => Promise<T>) =>
    Promise.all(ROLES.map(async (role) => [role, await make(role)] as const)).then(
      (entries) => Object.fromEntries(entries) as Record<Role, T>,
    );
  sessions = await byRole(async (role) => ({ cookie: (await signedInUser(stack, role)).cookie }));
  keys = await byRole((role) => stack.keyFor(role));
});
after(async () => {
  await stack?.stop();
});

/** The status of one harmless request; a stream (SSE) that was let through is closed unread. */
async function statusOf(op: Operation, credentials: Credentials): Promise<Response> {
  const response = await requestAs(stack.baseUrl, credentials, op.path, {
    method: op.method,
    ...(['POST', 'PATCH', 'PUT'].includes(op.method) ? { body: {} } : {}),
  });
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) await response.body?.cancel();
  return response;
}

test('every operation declares its role and credentials, or is one of the public ones', () => {
  for (const op of operations()) {
    if (PUBLIC_OPERATIONS.has(op.name)) {
      assert.equal(op.role, null, `${op.name} is public: it declares no role`);
      assert.ok(
        op.path.startsWith('/health/') || isPublicRoute(op.method, op.path),
        `${op.name} is public in the document, so in PUBLIC_ROUTES (auth/require-credentials.ts) too`,
      );
      continue;
    }
    assert.ok(op.role, `${op.name} declares x-required-role (...requiresRole(role)), or is listed as public`);
    assert.ok(!isPublicRoute(op.method, op.path), `${op.name} needs a role, yet PUBLIC_ROUTES lets it through`);
    assert.match(op.description, /Requires (the \w+ role|a session)/, `${op.name} says its role to people`);
  }
});

test('public operations answer without credentials', async () => {
  for (const op of operations().filter((candidate) => candidate.role === null)) {
    const { status } = await statusOf(op, null);
    assert.ok(![401, 403].includes(status), `anonymous ${op.name}: ${status}`);
  }
});

test('every guarded operation: 401 without credentials, 403 naming its role below it, through at and above it', async () => {
  const guarded = operations().filter((op) => op.role !== null);
  assert.ok(guarded.length >= 35, `all routes are guarded (${guarded.length})`);
  for (const op of guarded) {
    const needed = op.role ?? 'admin';
    const anonymous = await statusOf(op, null);
    assert.equal(anonymous.status, 401, `anonymous ${op.name}`);
    assert.equal(errorBody.parse(await anonymous.json()).error.code, 'unauthenticated');
    for (const role of ROLES) {
      for (const [via, credentials] of [
        ['session', sessions[role]],
        ['key', keys[role]],
      ] as const) {
        const what = `${role} ${via} ${op.name}`;
        const response = await statusOf(op, credentials);
        if (via === 'key' && op.sessionOnly) {
          assert.equal(response.status, 401, what);
        } else if (roleAtLeast(role, needed)) {
          assert.ok(![401, 403].includes(response.status), `${what}: ${response.status}`);
        } else {
          assert.equal(response.status, 403, what);
          const { error } = errorBody.parse(await response.json());
          assert.equal(error.code, 'forbidden', what);
          assert.match(error.message, new RegExp(`needs the ${needed} role`), what);
          assert.deepEqual(error.details, { neededRole: needed }, what);
        }
      }
    }
  }
});

test('paths are guarded whatever their case, as the router matches them', async () => {
  // As an API client asks: a browser asking for HTML gets the web app's page, which holds no data.
  const json = { accept: 'application/json' };
  for (const path of ['/API/products', '/Api/Webhooks', '/METRICS', '/api/no-such-route', '/api']) {
    assert.equal((await requestAs(stack.baseUrl, null, path, { headers: json })).status, 401, path);
  }
  const listed = await requestAs(stack.baseUrl, keys.viewer, '/API/products', { headers: json });
  assert.equal(listed.status, 200);
  // A page of products: the products router answered, not the web app.
  z.object({ items: z.array(z.unknown()) }).parse(await listed.json());
});

test('a cancel of a delete-all needs the admin role even where an import cancel needs editor', async () => {
  // A delete-all that never ran, settled at once (the stack's own database: it holds no one's queue).
  const jobId = randomUUID();
  await stack.deps.jobs.create({ id: jobId, kind: 'bulk_delete', by: systemAttribution('access test') });
  await stack.deps.jobs.failUnstarted(jobId, 'made by the access test');
  const editor = await requestAs(stack.baseUrl, keys.editor, `/api/jobs/${jobId}/cancel`, { method: 'POST' });
  assert.equal(editor.status, 403);
  assert.match(errorBody.parse(await editor.json()).error.message, /needs the admin role/);
  // Past the role check, the job is already over.
  assert.equal(
    (await requestAs(stack.baseUrl, keys.admin, `/api/jobs/${jobId}/cancel`, { method: 'POST' })).status,
    409,
  );
});

test('a revoked key and an expired key are refused on every kind of route', async () => {
  const revoked = await issueApiKey(stack.deps.auth.apiKeys, { name: 'to revoke', role: 'admin', createdBy: null });
  const expired = await issueApiKey(stack.deps.auth.apiKeys, {
    name: 'to expire',
    role: 'admin',
    createdBy: null,
    expiresInDays: 1,
  });
  for (const { key } of [revoked, expired])
    assert.equal((await requestAs(stack.baseUrl, { key }, '/api/products')).status, 200);
  await stack.deps.auth.apiKeys.revoke(revoked.record.id);
  await stack.deps.db.pool.query(`update api_keys set expires_at = now() - interval '1 second' where id = $1`, [
    expired.record.id,
  ]);
  for (const { key } of [revoked, expired]) {
    for (const path of ['/api/products', '/api/meta', '/metrics', '/api/imports']) {
      assert.equal((await requestAs(stack.baseUrl, { key }, path)).status, 401, path);
    }
  }
});

test("an import's events stream (SSE) is read with a viewer's session cookie", async () => {
  const jobId = await startImport(await stack.as('editor'), generatedCsv(`sse-${randomUUID().slice(0, 8)}`, 10, 'v1'));
  const path = `/api/imports/${jobId}/events`;
  const bySession = await readEvents(apiAs(stack.baseUrl, sessions.viewer), path);
  assert.equal(bySession.at(-1)?.event, 'completed');
  await assert.rejects(readEvents(apiAs(stack.baseUrl, null), path), /events answered 401/);
});
