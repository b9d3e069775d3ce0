import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { importTables } from '@catalog/db';
import { jobSnapshotSchema, type ReviewKind, reviewKinds } from '@catalog/domain';
import type { Api } from '../../../../tests/support/api';
import { errorBody, pollUntil, startImport } from '../../../../tests/support/imports';
import {
  allChanges,
  CSV_HEADER,
  startReviewedImport,
  summaryOf,
  untilFinished,
  untilReview,
} from '../../../../tests/support/review';
import { type Stack, startStack } from '../../../../tests/support/stack';

/**
 * Review before apply through the real API, worker, Temporal and PostgreSQL, on a database of its
 * own: the diff and its pages, apply from the reviewed tables (the file is gone by then), a catalog
 * changed under a review, cancel in review, refusals, and undo of a reviewed import. Chunks of 100
 * rows, so apply runs several.
 */
let stack: Stack;
let editor: Api;
let admin: Api;
let viewer: Api;

before(async () => {
  stack = await startStack({ isolated: true, env: { SSE_POLL_MS: '100', IMPORT_CHUNK_ROWS: '100' } });
  editor = await stack.as('editor');
  admin = await stack.as('admin');
  viewer = await stack.as('viewer');
});
after(async () => {
  await stack?.stop();
});

const pad = (n: number) => String(n).padStart(3, '0');
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** The catalog before the review: 40 products the review updates, 30 it leaves as they are. */
function baseline(prefix: string): string {
  const rows = [
    ...range(40).map((i) => `${prefix}U${pad(i)},Old ${i},,10.00,true,`),
    ...range(30).map((i) => `${prefix}K${pad(i)},Keep ${i},,5.00,true,`),
  ];
  return `${CSV_HEADER}\n${rows.join('\n')}\n`;
}

/**
 * 40 updated (new name and price), 30 unchanged, 250 inserted (one of them twice: the last row
 * wins), 7 invalid (no name), 5 skipped (image-only rows).
 */
function reviewed(prefix: string): string {
  const rows = [
    `${prefix}N005,First of two,,1.00,true,`,
    ...range(40).map((i) => `${prefix}U${pad(i)},New ${i},,12.50,true,`),
    ...range(7).map((i) => `${prefix}X${pad(i)},,,3.00,true,`),
    ...range(30).map((i) => `${prefix}K${pad(i)},Keep ${i},,5.00,true,`),
    ...range(5).map((i) => `,,,,,https://img.example/${i}.png`),
    ...range(250).map((i) => `${prefix}N${pad(i)},New N ${i},,1.00,true,`),
  ];
  return `${CSV_HEADER}\n${rows.join('\n')}\n`;
}

const EXPECTED = { inserted: 250, updated: 40, unchanged: 30, invalid: 7, skipped: 5 };

async function landed(api: Api, csv: string): Promise<void> {
  const id = await startImport(api, csv);
  const done = await untilFinished(api, id);
  assert.equal(done.status, 'completed', JSON.stringify(done.error));
}

async function catalog(skuPrefix: string) {
  const { rows } = await stack.deps.db.pool.query<{ sku: string; name: string; price: string | null }>(
    `select sku, name, price::text as price from products where sku like $1 || '%' order by sku`,
    [skuPrefix],
  );
  return rows;
}

/** The job's working tables still there, once none are left or after a while (they go just after the job ends). */
function workingTablesLeft(id: string): Promise<string[]> {
  const names = Object.values(importTables(id));
  return pollUntil(
    `the working tables of ${id} to be dropped`,
    async () => {
      const { rows } = await stack.deps.db.pool.query<{ name: string }>(
        `select t as name from unnest($1::text[]) as t where to_regclass(t) is not null`,
        [names],
      );
      return rows.map((row) => row.name);
    },
    (left) => left.length === 0,
    10_000,
  );
}

async function auditActions(id: string) {
  const { rows } = await stack.deps.db.pool.query<{ action: string; actor_label: string }>(
    `select action, actor_label from audit_log where target_id = $1 order by id`,
    [id],
  );
  return rows;
}

const post = (api: Api, path: string) => api.fetch(path, { method: 'POST' });

test('review: counts, every kind paged without gaps, before → after; apply lands it without the file; undo takes it back', async () => {
  await landed(editor, baseline('A-'));
  const before = await catalog('A-');
  const id = await startReviewedImport(editor, reviewed('A-'));
  const summary = await untilReview(viewer, id);
  assert.deepEqual(summary.review, EXPECTED);
  assert.equal(summary.progress?.stage, 'review');
  assert.equal(summary.reviewInvalidated, null);
  assert.deepEqual(await catalog('A-'), before, 'a review changes nothing');

  const pages: Record<ReviewKind, Awaited<ReturnType<typeof allChanges>>> = {
    inserted: await allChanges(viewer, id, 'inserted', 17),
    updated: await allChanges(viewer, id, 'updated', 17),
    unchanged: await allChanges(viewer, id, 'unchanged', 17),
    invalid: await allChanges(viewer, id, 'invalid', 3),
    skipped: await allChanges(viewer, id, 'skipped', 2),
  };
  for (const kind of reviewKinds) {
    const lines = pages[kind].items.map((item) => item.line);
    assert.equal(lines.length, EXPECTED[kind], `${kind}: every row`);
    assert.equal(new Set(lines).size, lines.length, `${kind}: no row twice`);
    assert.deepEqual(
      lines,
      [...lines].sort((a, b) => a - b),
      `${kind}: in file order`,
    );
    assert.equal(pages[kind].pages, Math.ceil(EXPECTED[kind] / (kind === 'invalid' ? 3 : kind === 'skipped' ? 2 : 17)));
  }
  const firstUpdate = pages.updated.items[0];
  assert.equal(firstUpdate?.sku, 'A-U001');
  assert.equal(firstUpdate?.line, 3);
  assert.equal(typeof firstUpdate?.productId, 'number');
  assert.deepEqual(firstUpdate?.changes, [
    { field: 'name', before: 'Old 1', after: 'New 1' },
    { field: 'price', before: '10.00', after: '12.50' },
  ]);
  const twice = pages.inserted.items.find((item) => item.sku === 'A-N005');
  assert.deepEqual(twice?.values, { name: 'New N 5', description: '', price: '1.00', active: true }, 'last row wins');
  assert.equal(pages.unchanged.items[0]?.changes, undefined);
  assert.match(pages.invalid.items[0]?.reason ?? '', /name/i);
  assert.deepEqual(
    pages.skipped.items.map((item) => item.sku),
    [null, null, null, null, null],
  );
  assert.ok(pages.skipped.items.every((item) => (item.reason ?? '').length > 0));

  // Waiting in review does not hold the queue: a later import runs to its end meanwhile.
  await landed(editor, `${CSV_HEADER}\nA-Z001,Later,,2.00,true,\n`);
  assert.equal((await summaryOf(viewer, id)).status, 'review');

  // Apply must not read the file again: it is gone.
  const { rows } = await stack.deps.db.pool.query<{ file_path: string }>(`select file_path from jobs where id = $1`, [
    id,
  ]);
  await stack.deps.uploads.remove(rows[0]?.file_path ?? '');

  const applied = await post(admin, `/api/imports/${id}/apply`);
  assert.equal(applied.status, 202, await applied.clone().text());
  const done = await untilFinished(viewer, id);
  assert.equal(done.status, 'completed', JSON.stringify(done.error));
  assert.equal(done.result?.inserted, 250);
  assert.equal(done.result?.updated, 40);
  assert.equal(done.result?.unchanged, 30);
  assert.equal(done.result?.invalid, 7);
  assert.equal(done.result?.skipped, 5);
  assert.equal(done.appliedBy !== null && done.appliedBy !== done.by, true, 'the applier is recorded apart');
  assert.deepEqual(done.review, EXPECTED, 'the review stays readable on the finished import');

  const after = await catalog('A-');
  assert.equal(after.length, 40 + 30 + 250 + 1);
  assert.deepEqual(
    after.find((row) => row.sku === 'A-U007'),
    { sku: 'A-U007', name: 'New 7', price: '12.50' },
  );
  assert.deepEqual(
    after.find((row) => row.sku === 'A-N005'),
    { sku: 'A-N005', name: 'New N 5', price: '1.00' },
  );
  assert.deepEqual(await workingTablesLeft(id), [], 'working tables dropped once it landed');
  assert.deepEqual(
    (await auditActions(id)).map((line) => line.action),
    ['import.started', 'import.applied'],
  );
  const changesAfter = await viewer.fetch(`/api/imports/${id}/changes?kind=inserted`);
  assert.equal(changesAfter.status, 409);
  assert.equal((await errorBody(changesAfter)).error.code, 'not_in_review');

  // Undo of a reviewed, then applied, import.
  const undo = await post(editor, `/api/imports/${id}/undo`);
  assert.equal(undo.status, 202);
  const undoJob = jobSnapshotSchema.pick({ id: true }).parse({ id: ((await undo.json()) as { jobId: string }).jobId });
  await pollUntil(
    'the undo',
    async () => jobSnapshotSchema.parse(await (await viewer.fetch(`/api/jobs/${undoJob.id}`)).json()),
    (job) => job.status === 'completed',
  );
  const undone = await catalog('A-');
  assert.deepEqual(
    undone.filter((row) => row.sku !== 'A-Z001'),
    before,
  );
});

test('the catalog changed between review and apply: back in review with the new diff, then apply lands it', async () => {
  await landed(editor, baseline('B-'));
  const id = await startReviewedImport(editor, reviewed('B-'));
  await untilReview(viewer, id);
  const updated = await allChanges(viewer, id, 'updated', 100);
  const target = updated.items.find((item) => item.sku === 'B-U002');
  assert.ok(target?.productId);

  // Someone edits a product the review updates, and creates one the review would insert.
  const product = await editor.fetch(`/api/products/${target.productId}`);
  const etag = product.headers.get('etag') ?? '';
  const edit = await editor.fetch(`/api/products/${target.productId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', 'if-match': etag },
    body: JSON.stringify({ name: 'Edited by hand' }),
  });
  assert.equal(edit.status, 200, await edit.clone().text());
  const created = await editor.fetch('/api/products', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sku: 'B-N100', name: 'New N 100', price: '1.00' }),
  });
  assert.equal(created.status, 201, await created.clone().text());

  assert.equal((await post(editor, `/api/imports/${id}/apply`)).status, 202);
  const again = await untilReview(viewer, id, (summary) => summary.reviewInvalidated !== null);
  assert.equal(again.reviewInvalidated?.rowsChanged, 2);
  // The new diff: B-N100 exists as the file says (unchanged now), B-U002 shows the hand edit as its before.
  assert.deepEqual(again.review, { ...EXPECTED, inserted: 249, unchanged: 31 });
  const redone = await allChanges(viewer, id, 'updated', 100);
  assert.deepEqual(
    redone.items.find((item) => item.sku === 'B-U002')?.changes?.find((change) => change.field === 'name'),
    { field: 'name', before: 'Edited by hand', after: 'New 2' },
  );
  const names = await catalog('B-U002');
  assert.equal(names[0]?.name, 'Edited by hand', 'nothing applied on an out-of-date review');

  assert.equal((await post(editor, `/api/imports/${id}/apply`)).status, 202);
  const done = await untilFinished(viewer, id);
  assert.equal(done.status, 'completed', JSON.stringify(done.error));
  assert.equal(done.result?.inserted, 249);
  assert.equal((await catalog('B-U002'))[0]?.name, 'New 2');
});

test('cancel in review discards it: cancelled, catalog untouched, working tables dropped, audited', async () => {
  const id = await startReviewedImport(editor, reviewed('C-'));
  await untilReview(viewer, id);
  const cancel = await post(editor, `/api/imports/${id}/cancel`);
  assert.equal(cancel.status, 202);
  const done = await untilFinished(viewer, id);
  assert.equal(done.status, 'cancelled');
  assert.deepEqual(await catalog('C-'), []);
  assert.deepEqual(await workingTablesLeft(id), []);
  assert.deepEqual(
    (await auditActions(id)).map((line) => line.action),
    ['import.started', 'import.discarded'],
  );
  const apply = await post(editor, `/api/imports/${id}/apply`);
  assert.equal(apply.status, 409);
  assert.equal((await errorBody(apply)).error.code, 'not_in_review');
});

test('bad input: an unknown kind or cursor is a 400 naming it; apply of an import not in review is a 409', async () => {
  const id = await startReviewedImport(editor, reviewed('D-'));
  await untilReview(viewer, id);
  for (const query of [
    'kind=deleted',
    '',
    'kind=updated&cursor=abc',
    'kind=updated&cursor=0',
    'kind=updated&limit=0',
  ]) {
    const response = await viewer.fetch(`/api/imports/${id}/changes?${query}`);
    assert.equal(response.status, 400, query);
    const { error } = await errorBody(response);
    assert.match(error.message, /kind|cursor|limit/, query);
  }
  assert.equal((await post(viewer, `/api/imports/${id}/apply`)).status, 403, 'apply needs an editor');

  const plain = await startImport(editor, `${CSV_HEADER}\nD-P001,Plain,,1.00,true,\n`);
  await untilFinished(viewer, plain);
  const refused = await post(editor, `/api/imports/${plain}/apply`);
  assert.equal(refused.status, 409);
  assert.equal((await errorBody(refused)).error.code, 'not_in_review');
  assert.equal((await post(editor, `/api/imports/${id}/cancel`)).status, 202);
  await untilFinished(viewer, id);
});
