import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type AuditEntry, auditPageSchema, importSummarySchema, isFinished, jobSnapshotSchema } from '@catalog/domain';
import { type Credentials, requestAs, signedInUser, signIn, type TestUser } from '../../../../tests/support/auth';
import { pollUntil } from '../../../../tests/support/imports';
import { type Stack, startStack } from '../../../../tests/support/stack';

/**
 * Who did what: every kind of change writes its audit line with the actor that made it (an API key
 * or a signed-in user), jobs and outbox events carry that actor, and only admins read the log. A
 * stack with a worker and a database of its own, so the log holds only what these tests did.
 */
let stack: Stack;
let admin: { key: string };
let editorKey: { key: string };
let editor: TestUser & { cookie: string };
let keyLabel: (key: string) => string;

before(async () => {
  stack = await startStack({ isolated: true, env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
  admin = await stack.keyFor('admin');
  editorKey = await stack.keyFor('editor');
  editor = await signedInUser(stack, 'editor');
  keyLabel = (key) => {
    const prefix = key.split('_')[1];
    return `key test ${key === admin.key ? 'admin' : 'editor'} (catalog_${prefix})`;
  };
});
after(async () => {
  await stack?.stop();
});

async function json(response: Response, status: number): Promise<unknown> {
  const text = await response.text();
  assert.equal(response.status, status, text);
  return text ? JSON.parse(text) : null;
}

const call = async (
  credentials: Credentials,
  path: string,
  status: number,
  init: Parameters<typeof requestAs>[3] = {},
) => json(await requestAs(stack.baseUrl, credentials, path, init), status);

async function audit(query: string): Promise<AuditEntry[]> {
  return auditPageSchema.parse(await call(admin, `/api/audit?limit=200&${query}`, 200)).items;
}

/** The newest line for a target, which must exist. */
async function lineFor(action: string, targetId: string): Promise<AuditEntry> {
  const [line] = await audit(`action=${action}&targetId=${encodeURIComponent(targetId)}`);
  assert.ok(line, `an audit line ${action} for ${targetId}`);
  assert.equal(line.action, action);
  return line;
}

async function outboxData(type: string, where: string, value: string): Promise<Record<string, unknown>> {
  const { rows } = await stack.deps.db.pool.query<{ data: Record<string, unknown> }>(
    `select data from outbox_events where type = $1 and data->>'${where}' = $2 order by seq desc limit 1`,
    [type, value],
  );
  assert.ok(rows[0], `an outbox event ${type} with ${where} ${value}`);
  return rows[0].data;
}

async function finished(jobId: string): Promise<void> {
  await pollUntil(
    `job ${jobId} to finish`,
    () => stack.deps.jobs.find(jobId),
    (job) => job !== null && isFinished(job.status),
  );
}

test('product create, edit and delete: each line and event names its actor, key or session user', async () => {
  const created = (await call(editorKey, '/api/products', 201, {
    method: 'POST',
    body: { sku: 'AUD-1', name: 'Audited', price: '1.00' },
  })) as { id: number; version: number };
  const id = String(created.id);
  const line = await lineFor('product.created', id);
  assert.deepEqual(line.actor, { kind: 'key', id: line.actor.id, label: keyLabel(editorKey.key) });
  assert.deepEqual(line.target, { type: 'product', id });
  assert.deepEqual(line.details, { sku: 'AUD-1' });
  assert.match(line.requestId ?? '', /.+/);
  assert.ok(line.ip);
  assert.deepEqual((await outboxData('product.created', 'id', id)).actor, line.actor);

  await call(editor, `/api/products/${id}`, 200, {
    method: 'PATCH',
    body: { name: 'Renamed', version: created.version },
  });
  const edit = await lineFor('product.updated', id);
  assert.deepEqual(edit.actor, { kind: 'user', id: editor.id, label: editor.email });
  assert.deepEqual(edit.details, { sku: 'AUD-1', fields: ['name'] });
  assert.deepEqual((await outboxData('product.updated', 'id', id)).actor, edit.actor);

  await call(admin, `/api/products/${id}`, 204, { method: 'DELETE' });
  const removal = await lineFor('product.deleted', id);
  assert.equal(removal.actor.label, keyLabel(admin.key));
  assert.equal(((await outboxData('product.deleted', 'id', id)).actor as { label: string }).label, keyLabel(admin.key));
});

test('an import and a delete-all carry who asked for them: job, history, status, audit line and events', async () => {
  const form = new FormData();
  form.append('file', new Blob(['sku,name,price\nAUD-IMP-1,Imported,2.50\nAUD-IMP-2,Imported too,3\n']), 'audit.csv');
  const upload = await fetch(`${stack.baseUrl}/api/imports`, {
    method: 'POST',
    headers: { cookie: editor.cookie, origin: stack.baseUrl },
    body: form,
  });
  const { jobId } = (await json(upload, 202)) as { jobId: string };
  await finished(jobId);
  const summary = importSummarySchema.parse(await call(editorKey, `/api/imports/${jobId}`, 200));
  assert.equal(summary.status, 'completed');
  assert.equal(summary.by, editor.email);
  const history = (await call(editorKey, '/api/imports', 200)) as { items: { id: string; by: string | null }[] };
  assert.equal(history.items.find((item) => item.id === jobId)?.by, editor.email);
  const started = await lineFor('import.started', jobId);
  assert.deepEqual(started.actor, { kind: 'user', id: editor.id, label: editor.email });
  assert.deepEqual(started.details, { kind: 'import', fileName: 'audit.csv' });
  for (const type of ['import.started', 'import.completed']) {
    assert.deepEqual((await outboxData(type, 'importId', jobId)).actor, started.actor, type);
  }

  const accepted = (await call(admin, '/api/products', 202, {
    method: 'DELETE',
    body: { confirm: 'DELETE ALL' },
  })) as { jobId: string };
  await finished(accepted.jobId);
  const status = jobSnapshotSchema.parse(await call(editorKey, `/api/jobs/${accepted.jobId}`, 200));
  assert.equal(status.by, keyLabel(admin.key));
  const line = await lineFor('delete_all.started', accepted.jobId);
  assert.equal(line.actor.kind, 'key');
  assert.deepEqual((await outboxData('products.bulk_deleted', 'jobId', accepted.jobId)).actor, line.actor);
  const handle = stack.deps.temporal.client.workflow.getHandle(`delete-all-${accepted.jobId}`);
  assert.equal((await handle.describe()).memo?.requestedBy, keyLabel(admin.key), 'the workflow memo names them too');
});

test('webhook changes and secret reveals are audited; no secret ever reaches the log', async () => {
  const endpoint = (await call(admin, '/api/webhooks', 201, {
    method: 'POST',
    body: { name: 'audited hook', url: 'http://127.0.0.1:9/hook?token=sekrit-token' },
  })) as { id: string };
  const created = await lineFor('webhook.created', endpoint.id);
  assert.deepEqual(created.details, { name: 'audited hook', host: '127.0.0.1:9', enabled: true });

  await call(admin, `/api/webhooks/${endpoint.id}`, 200, {
    method: 'PATCH',
    body: { name: 'renamed', enabled: false },
  });
  assert.deepEqual((await lineFor('webhook.updated', endpoint.id)).details, { fields: ['name'] });
  await lineFor('webhook.disabled', endpoint.id);
  await call(admin, `/api/webhooks/${endpoint.id}`, 200, { method: 'PATCH', body: { enabled: true } });
  await lineFor('webhook.enabled', endpoint.id);

  const revealed = (await call(admin, `/api/webhooks/${endpoint.id}/secret`, 200)) as { secret: string };
  const reveal = await lineFor('webhook.secret_revealed', endpoint.id);
  assert.equal(reveal.actor.label, keyLabel(admin.key));
  const rotated = (await call(admin, `/api/webhooks/${endpoint.id}/secret/rotate`, 200, { method: 'POST' })) as {
    secret: string;
  };
  await lineFor('webhook.secret_rotated', endpoint.id);
  await call(admin, `/api/webhooks/${endpoint.id}`, 204, { method: 'DELETE' });
  await lineFor('webhook.deleted', endpoint.id);

  const everything = JSON.stringify(await audit(''));
  for (const secret of [revealed.secret, rotated.secret, 'sekrit-token']) {
    assert.ok(!everything.includes(secret), 'the log never holds a secret or a URL token');
  }
  const { rows } = await stack.deps.db.pool.query<{ all: string }>(
    `select string_agg(details::text, ' ') as all from audit_log`,
  );
  assert.ok(!rows[0]?.all.includes(revealed.secret));
});

test('users and API keys: created, changed, revoked, deleted; sign-in, failure, sign-out, password change', async () => {
  const adminUser = await signedInUser(stack, 'admin');
  const user = (await call(adminUser, '/api/users', 201, {
    method: 'POST',
    body: { email: 'audited-user@example.test', password: 'first-password-1', role: 'viewer' },
  })) as { id: string };
  const created = await lineFor('user.created', user.id);
  assert.deepEqual(created.actor, { kind: 'user', id: adminUser.id, label: adminUser.email });
  assert.deepEqual(created.details, { email: 'audited-user@example.test', role: 'viewer' });
  await call(adminUser, `/api/users/${user.id}`, 200, { method: 'PATCH', body: { role: 'editor' } });
  assert.deepEqual((await lineFor('user.role_changed', user.id)).details, {
    email: 'audited-user@example.test',
    from: 'viewer',
    to: 'editor',
  });

  const cookie = await signIn(stack.baseUrl, 'audited-user@example.test', 'first-password-1');
  const signedIn = await lineFor('user.signed_in', user.id);
  assert.deepEqual(signedIn.actor, { kind: 'user', id: user.id, label: 'audited-user@example.test' });
  await call({ cookie }, '/api/auth/password', 204, {
    method: 'POST',
    body: { currentPassword: 'first-password-1', newPassword: 'second-password-2' },
  });
  assert.equal((await lineFor('user.password_changed', user.id)).actor.id, user.id);
  await call({ cookie }, '/api/auth/sign-out', 204, { method: 'POST' });
  await lineFor('user.signed_out', user.id);
  await call(null, '/api/auth/sign-in', 401, {
    method: 'POST',
    body: { email: 'audited-user@example.test', password: 'wrong-password-3' },
  });
  const failed = await lineFor('user.sign_in_failed', user.id);
  assert.deepEqual(failed.actor, { kind: 'anonymous', id: null, label: 'anonymous' });
  assert.deepEqual(failed.details, { email: 'audited-user@example.test', reason: 'wrong_password' });

  await call(adminUser, `/api/users/${user.id}`, 200, { method: 'PATCH', body: { disabled: true } });
  await lineFor('user.disabled', user.id);
  await call(adminUser, `/api/users/${user.id}`, 204, { method: 'DELETE' });
  assert.deepEqual((await lineFor('user.deleted', user.id)).details, { email: 'audited-user@example.test' });

  const key = (await call(admin, '/api/api-keys', 201, {
    method: 'POST',
    body: { name: 'audited key', role: 'viewer' },
  })) as { id: string; key: string; prefix: string };
  const keyLine = await lineFor('api_key.created', key.id);
  assert.equal(keyLine.actor.label, keyLabel(admin.key));
  assert.deepEqual(keyLine.details, { name: 'audited key', prefix: key.prefix, role: 'viewer', expiresAt: null });
  await call(admin, `/api/api-keys/${key.id}`, 204, { method: 'DELETE' });
  await lineFor('api_key.revoked', key.id);

  const everything = JSON.stringify(await audit(''));
  for (const secret of [key.key, 'first-password-1', 'second-password-2', 'wrong-password-3', editor.password]) {
    assert.ok(!everything.includes(secret), 'no key or password in the log');
  }
});

test('only admins read the log; filters narrow it and pages walk it newest first', async () => {
  await call(null, '/api/audit', 401);
  await call(editorKey, '/api/audit', 403);
  await call(await stack.keyFor('viewer'), '/api/audit', 403);
  await call(editor, '/api/audit', 403);

  const all = await audit('');
  assert.ok(all.length >= 20, `the tests above wrote lines (${all.length})`);
  const ids = all.map((line) => BigInt(line.id));
  assert.deepEqual(
    ids,
    [...ids].sort((a, b) => (a > b ? -1 : 1)),
    'newest first',
  );

  const pages: AuditEntry[] = [];
  let cursor: string | null = '';
  while (cursor !== null) {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const page = auditPageSchema.parse(await call(admin, `/api/audit?limit=7${query}`, 200));
    assert.ok(page.items.length <= 7);
    pages.push(...page.items);
    cursor = page.nextCursor;
  }
  assert.deepEqual(
    pages.map((line) => line.id),
    all.map((line) => line.id),
    'pages hold every line once, in order',
  );

  const webhooks = await audit('action=webhook');
  assert.ok(webhooks.length >= 7 && webhooks.every((line) => line.action.startsWith('webhook.')));
  const reveals = await audit('action=webhook.secret_revealed');
  assert.equal(reveals.length, 1);
  const byEditor = await audit(`actorId=${editor.id}`);
  assert.deepEqual([...new Set(byEditor.map((line) => line.action))].sort(), [
    'import.started',
    'product.updated',
    'user.signed_in',
  ]);
  const products = await audit('targetType=product');
  assert.ok(products.length >= 3 && products.every((line) => line.target?.type === 'product'));

  const oldest = all.at(-1);
  assert.ok(oldest);
  assert.deepEqual((await audit(`to=${encodeURIComponent(oldest.at)}`)).length, 0, '`to` excludes its instant');
  const fromOldest = await audit(`from=${encodeURIComponent(oldest.at)}`);
  assert.equal(fromOldest.length, all.length, '`from` includes its instant');
  assert.equal((await audit(`from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).length, 0);

  for (const bad of [
    'cursor=nonsense',
    'limit=0',
    'limit=201',
    'from=yesterday',
    'targetType=planet',
    'action=DROP%20TABLE',
  ]) {
    const body = (await call(admin, `/api/audit?${bad}`, 400)) as { error: { code: string } };
    assert.equal(body.error.code, 'validation_failed', bad);
  }
  await call(admin, `/api/audit?from=${encodeURIComponent(oldest.at)}&to=${encodeURIComponent(oldest.at)}`, 400);
});
