import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { importTables } from '@catalog/db';
import type { Api } from '../../../../tests/support/api';
import { pollUntil } from '../../../../tests/support/imports';
import { CSV_HEADER, startReviewedImport, untilFinished, untilReview } from '../../../../tests/support/review';
import { type Stack, startStack } from '../../../../tests/support/stack';

/** IMPORT_REVIEW_TIMEOUT: a review nobody decides on is discarded, on a stack whose timeout is 3 s. */
let stack: Stack;
let editor: Api;

before(async () => {
  stack = await startStack({ isolated: true, env: { IMPORT_REVIEW_TIMEOUT: '3s' } });
  editor = await stack.as('editor');
});
after(async () => {
  await stack?.stop();
});

test('a review nobody applies within IMPORT_REVIEW_TIMEOUT is discarded: cancelled, nothing applied, tables dropped', async () => {
  const id = await startReviewedImport(editor, `${CSV_HEADER}\nT-001,Timed out,,1.00,true,\n`);
  await untilReview(editor, id);
  const done = await untilFinished(editor, id);
  assert.equal(done.status, 'cancelled');
  assert.equal(done.error?.code, 'review_expired');
  const { rows } = await stack.deps.db.pool.query(`select 1 from products where sku = 'T-001'`);
  assert.equal(rows.length, 0);
  // Dropped just after the job ends.
  await pollUntil(
    'the working tables to be dropped',
    async () =>
      (
        await stack.deps.db.pool.query(`select t from unnest($1::text[]) as t where to_regclass(t) is not null`, [
          Object.values(importTables(id)),
        ])
      ).rows.length,
    (left) => left === 0,
    10_000,
  );
});
