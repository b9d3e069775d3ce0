import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AppError, type Attribution } from '@catalog/domain';
import { isolatedDatabase } from '../../../../tests/support/database';
import { type Database, openDatabase } from '../orm';
import { createAuditRepository } from './audit-repository';

/** The audit log against the real table: filters, the action prefix taken literally, keyset pages. */
let database: Awaited<ReturnType<typeof isolatedDatabase>>;
let db: Database;

before(async () => {
  database = await isolatedDatabase();
  db = await openDatabase({ databaseUrl: database.url, poolSize: 2 });
});
after(async () => {
  await db?.close();
  await database?.drop();
});

const ana: Attribution = {
  actor: { kind: 'user', id: 'u-ana', label: 'ana@example.test' },
  requestId: 'r1',
  ip: '10.0.0.1',
};
const ci: Attribution = {
  actor: { kind: 'key', id: 'k-ci', label: 'key ci (catalog_ab12cd34)' },
  requestId: null,
  ip: null,
};

test('lines come back newest first, narrowed by action prefix, actor, target and time; pages by cursor', async () => {
  const audit = createAuditRepository(db);
  await audit.record(ana, { action: 'product.created', target: { type: 'product', id: '1' }, details: { sku: 'A' } });
  await audit.record(ci, { action: 'api_key.revoked', target: { type: 'api_key', id: 'k-old' } });
  await audit.record(ana, { action: 'webhook.secret_revealed', target: { type: 'webhook', id: 'w1' } });
  await audit.record(ci, {
    action: 'product.updated',
    target: { type: 'product', id: '1' },
    details: { fields: ['name'] },
  });
  // A row whose action only matches `api_key` if `_` were a wildcard.
  await db.pool.query(
    `insert into audit_log (actor_kind, actor_label, action) values ('system', 'test', 'apiXkey.revoked')`,
  );

  const all = await audit.list({}, undefined, 50);
  assert.deepEqual(
    all.items.map((line) => line.action),
    ['apiXkey.revoked', 'product.updated', 'webhook.secret_revealed', 'api_key.revoked', 'product.created'],
  );
  assert.equal(all.nextCursor, null);
  const [, updated, , , created] = all.items;
  assert.deepEqual(updated?.details, { fields: ['name'] });
  assert.deepEqual(created?.actor, ana.actor);
  assert.equal(created?.requestId, 'r1');
  assert.equal(created?.ip, '10.0.0.1');
  assert.match(created?.at ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

  const actions = async (filter: Parameters<typeof audit.list>[0]) =>
    (await audit.list(filter, undefined, 50)).items.map((line) => line.action);
  assert.deepEqual(await actions({ action: 'api_key' }), ['api_key.revoked']);
  assert.deepEqual(await actions({ action: 'product' }), ['product.updated', 'product.created']);
  assert.deepEqual(await actions({ action: '%' }), []);
  assert.deepEqual(await actions({ actorId: 'u-ana' }), ['webhook.secret_revealed', 'product.created']);
  assert.deepEqual(await actions({ targetType: 'product', targetId: '1' }), ['product.updated', 'product.created']);
  assert.deepEqual(await actions({ from: new Date(Date.now() + 60_000) }), []);
  assert.equal((await actions({ to: new Date(Date.now() + 60_000) })).length, 5);

  const first = await audit.list({}, undefined, 2);
  assert.equal(first.items.length, 2);
  assert.ok(first.nextCursor);
  const second = await audit.list({}, first.nextCursor, 2);
  const third = await audit.list({}, second.nextCursor ?? undefined, 2);
  assert.equal(third.nextCursor, null);
  assert.deepEqual(
    [...first.items, ...second.items, ...third.items].map((line) => line.id),
    all.items.map((line) => line.id),
  );

  for (const bad of [
    'x',
    Buffer.from('{"before":"0"}').toString('base64url'),
    Buffer.from('[]').toString('base64url'),
  ]) {
    await assert.rejects(audit.list({}, bad, 2), (error: unknown) => error instanceof AppError && error.status === 400);
  }
});
