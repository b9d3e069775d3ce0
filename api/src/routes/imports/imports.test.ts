import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type ImportUndo, jobWorkflowId, signalNames } from '@catalog/domain';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { parse } from 'csv-parse/sync';
import type { Api } from '../../../../tests/support/api';
import {
  accepted,
  errorBody,
  finalEvent,
  generatedCsv,
  getImport,
  getJob,
  listImports,
  pollUntil,
  readEvents,
  startImport,
  upload,
} from '../../../../tests/support/imports';
import { productsApi } from '../../../../tests/support/products';
import { type Stack, startStack } from '../../../../tests/support/stack';

/**
 * Imports through the real HTTP API, worker, Temporal and PostgreSQL. The stack has a database of
 * its own, so whole-catalog snapshots are exact. Chunks of 100 rows make small files span many
 * chunks. `hold` and `failAt` inject a pause and then a failure after a chunk has really
 * committed: the pause first, so a test can act while the import is held and then make it fail.
 */
let stack: Stack;
let api: Api;
let hold: { chunkNo: number; reached: () => void; release: Promise<void> } | null = null;
let failAt: number | null = null;

before(async () => {
  stack = await startStack({
    isolated: true,
    env: { IMPORT_CHUNK_ROWS: '100', IMPORT_PARALLELISM: '2', SSE_POLL_MS: '100' },
    overrideActivities: (real) => ({
      applyImportChunk: async (input) => {
        const result = await real.applyImportChunk(input);
        const gate = hold;
        if (gate && gate.chunkNo === input.chunkNo) {
          gate.reached();
          await holdUntilReleasedOrCancelled(gate.release);
        }
        if (failAt === input.chunkNo) throw ApplicationFailure.nonRetryable('injected failure', 'Injected');
        return result;
      },
    }),
  });
  // Imports, cancels and edits: what an editor may do.
  api = await stack.as('editor');
});
after(async () => {
  await stack?.stop();
});

async function holdUntilReleasedOrCancelled(release: Promise<void>): Promise<void> {
  const context = Context.current();
  const beat = setInterval(() => context.heartbeat(), 100);
  try {
    await Promise.race([release, context.cancelled]);
  } finally {
    clearInterval(beat);
  }
}

function holdAt(chunkNo: number) {
  let reached!: () => void;
  let release!: () => void;
  const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
  hold = { chunkNo, reached, release: new Promise<void>((resolve) => (release = resolve)) };
  return { reached: reachedPromise, release: () => release() };
}

type Row = {
  id: number;
  sku: string;
  name: string;
  description: string;
  price: string | null;
  active: boolean;
  version: number;
  /** As the driver returns timestamptz in this process: text, to the microsecond. */
  updated_at: string;
};
async function catalog(): Promise<Row[]> {
  const { rows } = await stack.deps.db.pool.query<Row>(
    `select id::int, sku, name, description, price, active, version, updated_at from products order by sku_key`,
  );
  return rows;
}
async function product(sku: string): Promise<Row | undefined> {
  const { rows } = await stack.deps.db.pool.query<Row>(
    `select id::int, sku, name, description, price, active, version, updated_at from products where sku_key = lower($1)`,
    [sku],
  );
  return rows[0];
}

/**
 * What an undo must put back: every product and its values. Not `version` or `updated_at`: a
 * restore is a new write, so those move forward (see the tests of compensation below).
 */
const valuesOf = (rows: Row[]) => rows.map(({ version: _version, updated_at: _updatedAt, ...values }) => values);

describe('importing a CSV', () => {
  test('the last row of a SKU wins across the whole file, whatever its case, and text survives byte for byte', async () => {
    const lines = ['\uFEFFsku,name,description,price,active'];
    lines.push('tw-dup,First,"comma, ""quote"" and\nnewline",1.00,yes');
    for (let i = 0; i < 450; i++) lines.push(`tw-${i},Row ${i},,${i}.5,1`);
    lines.push('TW-DUP,Last wins,"Ünïcödé ✓ 日本語 🚀\r\nwith CRLF inside",2.25,false');
    const csv = `${lines.join('\r\n')}\r\n`;

    const jobId = await startImport(api, csv);
    const final = await finalEvent(api, jobId);
    assert.equal(final.event, 'completed');
    assert.deepEqual(
      { ...final.data.result, durationMs: 0 },
      { rowsRead: 452, inserted: 451, updated: 0, unchanged: 0, invalid: 0, durationMs: 0 },
    );
    const dup = await product('tw-dup');
    assert.equal(dup?.sku, 'TW-DUP');
    assert.equal(dup?.name, 'Last wins');
    assert.equal(dup?.description, 'Ünïcödé ✓ 日本語 🚀\r\nwith CRLF inside');
    assert.equal(dup?.price, '2.25');
    assert.equal(dup?.active, false);
    assert.equal((await product('tw-449'))?.price, '449.50');
  });

  test('a re-import overwrites changed products and leaves unchanged ones untouched', async () => {
    await finalEvent(api, await startImport(api, generatedCsv('ri', 300, 'v1')));
    const before = await product('ri-5');
    const changedCsv = generatedCsv('ri', 300, 'v1')
      .replace('ri-7,Item 7 v1', 'ri-7,Item 7 v2')
      .replace('ri-250,Item 250 v1', 'ri-250,Item 250 v2');

    const final = await finalEvent(api, await startImport(api, changedCsv));
    assert.equal(final.event, 'completed');
    assert.equal(final.data.result?.updated, 2);
    assert.equal(final.data.result?.unchanged, 298);
    assert.equal(final.data.result?.inserted, 0);
    assert.equal((await product('ri-7'))?.name, 'Item 7 v2');
    assert.equal((await product('ri-7'))?.version, 2);
    const untouched = await product('ri-5');
    assert.deepEqual(untouched, before);
  });

  test('invalid rows are reported with their exact row numbers while the valid rows land', async () => {
    const csv = [
      'sku;name;price;active;colour',
      'iv-1;Good;1;yes;red',
      ';No sku;1;yes;red',
      'iv-3;;1;yes;red',
      'iv-4;Bad price;-1;yes;red',
      'iv-5;Bad price 2;1.999;yes;red',
      'iv-6;Bad active;1;perhaps;red',
      'iv-7;"unclosed quote;1;yes;red',
    ].join('\n');
    const response = await upload(api, `${csv}\n`);
    assert.equal(response.status, 202);
    const { jobId, ignoredColumns } = await accepted(response);
    assert.deepEqual(ignoredColumns, ['colour']);
    const final = await finalEvent(api, jobId);
    assert.equal(final.event, 'completed');
    assert.equal(final.data.result?.inserted, 1);
    assert.equal(final.data.result?.invalid, 6);
    assert.equal((await product('iv-1'))?.name, 'Good');
    assert.equal(await product('iv-4'), undefined);

    const report = await api.fetch(final.data.errorsUrl);
    assert.equal(report.status, 200);
    assert.match(report.headers.get('content-type') ?? '', /text\/csv/);
    const text = await report.text();
    assert.equal(text.split('\n')[0], 'row,column,reason,sku,name,description,price,active,raw');
    const rows: string[][] = parse(text, { from_line: 2 });
    assert.deepEqual(
      rows.map(([row, column]) => `${row},${column}`),
      ['3,sku', '4,name', '5,price', '6,price', '7,active', '8,row'],
    );
    // The line that could not be read is one row, with the reason, the fix and its raw text.
    assert.deepEqual(rows.at(-1), [
      '8',
      'row',
      'Row 8: cell 2 opens a quote that is never closed. Add the closing quote (").',
      ...['', '', '', '', ''],
      'iv-7;"unclosed quote;1;yes;red\n',
    ]);
  });

  test('a cancelled import leaves the catalog exactly as it was', async () => {
    await finalEvent(api, await startImport(api, generatedCsv('cx', 250, 'before')));
    const snapshot = await catalog();
    const gate = holdAt(1);
    const csv = `${generatedCsv('cx', 250, 'after').trimEnd()}\n${generatedCsv('cx-new', 300, 'new').split('\n').slice(1).join('\n')}`;
    const jobId = await startImport(api, csv);
    await gate.reached;
    assert.notDeepEqual(await catalog(), snapshot, 'chunks 0 and 1 have committed before the cancel');

    const cancel = await api.fetch(`/api/imports/${jobId}/cancel`, { method: 'POST' });
    assert.equal(cancel.status, 202);
    const final = await finalEvent(api, jobId);
    hold = null;
    assert.equal(final.event, 'cancelled');
    assert.equal(final.data.status, 'cancelled');
    assert.deepEqual(valuesOf(await catalog()), valuesOf(snapshot));
    const again = await api.fetch(`/api/imports/${jobId}/cancel`, { method: 'POST' });
    assert.equal(again.status, 409);
  });

  test('a failed import leaves the catalog exactly as it was', async () => {
    await finalEvent(api, await startImport(api, generatedCsv('fx', 250, 'before')));
    const snapshot = await catalog();
    failAt = 2;
    try {
      const jobId = await startImport(api, generatedCsv('fx', 600, 'after'));
      const final = await finalEvent(api, jobId);
      assert.equal(final.event, 'failed');
      assert.match(final.data.error?.message ?? '', /injected failure/);
    } finally {
      failAt = null;
    }
    assert.deepEqual(valuesOf(await catalog()), valuesOf(snapshot));
  });

  test('staging data lost mid-import (as a PostgreSQL crash empties unlogged tables) is rebuilt from the file', async () => {
    const gate = holdAt(1);
    const jobId = await startImport(api, generatedCsv('lost', 500, 'x'));
    await gate.reached;
    const suffix = jobId.replace(/-/g, '');
    await stack.deps.db.pool.query(`truncate import_staged_${suffix}, import_final_${suffix}`);
    gate.release();
    hold = null;
    const final = await finalEvent(api, jobId);
    assert.equal(final.event, 'completed', JSON.stringify(final.data.error));
    assert.equal(final.data.result?.inserted, 500);
    const { rows } = await stack.deps.db.pool.query(`select count(*)::int as n from products where sku like 'lost-%'`);
    assert.equal(rows[0]?.n, 500);
    const history = await stack.deps.temporal.client.workflow.getHandle(jobWorkflowId('import', jobId)).fetchHistory();
    const staged = (history.events ?? []).filter(
      (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'stageImport',
    );
    assert.equal(staged.length, 2, 'the file was staged a second time');
  });

  test('an import whose workflow an operator terminated is undone, and the queue moves on', async () => {
    await finalEvent(api, await startImport(api, generatedCsv('orph', 250, 'before')));
    const snapshot = await catalog();
    const gate = holdAt(1);
    const orphan = await startImport(api, generatedCsv('orph', 600, 'after'));
    await gate.reached;
    await stack.deps.temporal.client.workflow
      .getHandle(jobWorkflowId('import', orphan))
      .terminate('operator pressed Terminate');
    gate.release();
    hold = null;
    assert.notDeepEqual(await catalog(), snapshot, 'two chunks had landed when it was terminated');

    const next = await startImport(api, generatedCsv('orph-next', 5, 'x'));
    assert.equal((await finalEvent(api, next)).event, 'completed');
    const settled = await getImport(api, orphan);
    assert.equal(settled.status, 'failed');
    assert.equal(settled.error?.code, 'orphaned');
    const { rows } = await stack.deps.db.pool.query(
      `select count(*)::int as n from products where sku like 'orph-next-%'`,
    );
    assert.equal(rows[0]?.n, 5);
    await stack.deps.db.pool.query(`delete from products where sku like 'orph-next-%'`);
    assert.deepEqual(valuesOf(await catalog()), valuesOf(snapshot));
  });

  test('overlapping imports are applied in the order their uploads were accepted', async () => {
    const gate = holdAt(0);
    const first = await startImport(api, generatedCsv('ord', 150, 'first'));
    await gate.reached;
    const second = await startImport(api, generatedCsv('ord', 150, 'second'));
    const queued = await pollUntil(
      'the second import to wait in the queue',
      () => getImport(api, second),
      (body) => body.progress?.stage === 'queued' && body.progress?.queuePosition === 1,
    );
    assert.equal(queued.status, 'queued');
    gate.release();
    hold = null;
    assert.equal((await finalEvent(api, first)).event, 'completed');
    assert.equal((await finalEvent(api, second)).event, 'completed');
    assert.equal((await product('ord-0'))?.name, 'Item 0 second');
    assert.equal((await product('ord-149'))?.name, 'Item 149 second');
    // The first import's end woke the queued one: its history holds the signal.
    const history = await stack.deps.temporal.client.workflow.getHandle(jobWorkflowId('import', second)).fetchHistory();
    const events = history.events ?? [];
    assert.ok(
      events.some((event) => event.workflowExecutionSignaledEventAttributes?.signalName === signalNames.jobTurn),
      'the queued import was signalled its turn',
    );
  });
});

/**
 * Imports `csv` and holds it once chunk 1 has committed, so `whileHeld` can look at or edit what
 * the import wrote; then makes that chunk fail, waits for the undo, and returns the final summary
 * with what `whileHeld` returned.
 */
async function importFailingAfterChunk1<T>(csv: string, whileHeld: () => Promise<T>) {
  const gate = holdAt(1);
  failAt = 1;
  try {
    const jobId = await startImport(api, csv);
    await gate.reached;
    const held = await whileHeld();
    gate.release();
    const final = await finalEvent(api, jobId);
    assert.equal(final.event, 'failed');
    return { summary: final.data, held };
  } finally {
    gate.release();
    hold = null;
    failAt = null;
  }
}

describe('undoing an import', () => {
  const products = () => productsApi(api);

  test('restoring a product is a new write: its version rises, so a pre-import If-Match is refused', async () => {
    await finalEvent(api, await startImport(api, generatedCsv('uv', 150, 'before')));
    const snapshot = await catalog();
    const before = new Map(snapshot.map((row) => [row.sku, row]));
    const { summary, held: written } = await importFailingAfterChunk1(generatedCsv('uv', 250, 'after'), async () =>
      (await catalog()).filter((row) => before.has(row.sku) && row.name.endsWith(' after')),
    );
    assert.ok(written.length > 0, 'the import had updated products when it failed');

    assert.deepEqual(valuesOf(await catalog()), valuesOf(snapshot));
    for (const byImport of written) {
      const old = before.get(byImport.sku);
      const now = await product(byImport.sku);
      assert.ok(old && now);
      assert.ok(now.version > byImport.version, `${now.sku}: version ${now.version} after ${byImport.version}`);
      assert.ok(Date.parse(now.updated_at) > Date.parse(old.updated_at), `${now.sku}: updated_at moved forward`);
    }
    const [sample] = written;
    const preImport = sample && before.get(sample.sku);
    assert.ok(preImport);
    const stale = await products().patch(
      preImport.id,
      { name: 'Stale edit' },
      { 'If-Match': `"${preImport.version}"` },
    );
    assert.equal(stale.status, 409, 'an edit started before the import is refused');
    assert.equal((await product(preImport.sku))?.name, preImport.name);
    assert.equal(summary.undo?.conflictCount, 0);
    assert.ok((summary.undo?.restored ?? 0) >= written.length);
    assert.ok((summary.undo?.removed ?? 0) > 0);
  });

  test('a product the import updated and a user then edited keeps the edit and is listed as a conflict', async () => {
    await finalEvent(api, await startImport(api, generatedCsv('ue', 150, 'before')));
    const snapshot = await catalog();
    const existing = new Set(snapshot.map((row) => row.sku));
    const { summary, held: edited } = await importFailingAfterChunk1(generatedCsv('ue', 250, 'after'), async () => {
      const byImport = (await catalog()).find(
        (row) => row.sku.startsWith('ue-') && existing.has(row.sku) && row.name.endsWith(' after'),
      );
      assert.ok(byImport, 'the import had updated a product');
      return editAsUser(byImport);
    });

    assert.deepEqual(await product(edited.sku), edited, 'the edit is kept as it was');
    assert.deepEqual(conflictsOf(summary.undo), [{ sku: edited.sku, change: 'updated', reason: 'edited' }]);
    assert.equal(summary.undo?.conflictCount, 1);
    const others = (rows: Row[]) => valuesOf(rows.filter((row) => row.sku !== edited.sku));
    assert.deepEqual(others(await catalog()), others(snapshot), 'everything else is undone');
  });

  test('a product the import inserted and a user then edited is kept and listed as a conflict', async () => {
    const snapshot = await catalog();
    const existing = new Set(snapshot.map((row) => row.sku));
    const { summary, held: edited } = await importFailingAfterChunk1(generatedCsv('ui', 250, 'new'), async () => {
      const byImport = (await catalog()).find((row) => row.sku.startsWith('ui-') && !existing.has(row.sku));
      assert.ok(byImport, 'the import had inserted a product');
      return editAsUser(byImport);
    });

    assert.deepEqual(await product(edited.sku), edited, 'the edited product is still there, as edited');
    assert.deepEqual(conflictsOf(summary.undo), [{ sku: edited.sku, change: 'inserted', reason: 'edited' }]);
    assert.equal(summary.undo?.conflictCount, 1);
    const others = (rows: Row[]) => valuesOf(rows.filter((row) => row.sku !== edited.sku));
    assert.deepEqual(others(await catalog()), others(snapshot), 'every other inserted product is gone');
  });

  /** Edits the product through the API, starting from the version the import gave it. */
  async function editAsUser(row: Row): Promise<Row> {
    const response = await products().patch(row.id, { name: 'Edited by a user' }, { 'If-Match': `"${row.version}"` });
    assert.equal(response.status, 200);
    const edited = await product(row.sku);
    assert.ok(edited);
    return edited;
  }
});

const conflictsOf = (undo: ImportUndo | null) =>
  undo?.conflicts.map(({ sku, change, reason }) => ({ sku, change, reason }));

describe('import progress', () => {
  test('the event stream sends progress, then exactly one final event, and replays it once finished', async () => {
    const gate = holdAt(0);
    const jobId = await startImport(api, generatedCsv('ev', 250, 'x'));
    const live = readEvents(api, `/api/imports/${jobId}/events`);
    await gate.reached;
    await new Promise((resolve) => setTimeout(resolve, 400));
    gate.release();
    hold = null;
    const events = await live;
    const finals = events.filter((e) => e.event !== 'progress');
    assert.deepEqual(
      finals.map((e) => e.event),
      ['completed'],
    );
    assert.equal(events.at(-1)?.event, 'completed');
    const progress = events.filter((e) => e.event === 'progress');
    assert.ok(progress.length >= 2, `expected several progress events, got ${progress.length}`);
    assert.ok(progress.some((e) => e.data.progress?.stage === 'applying'));
    const ids = events.map((e) => Number(e.id));
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
      'event ids increase',
    );

    const replay = await readEvents(api, `/api/imports/${jobId}/events`, {
      'Last-Event-ID': String(ids[0]),
    });
    assert.deepEqual(
      replay.map((e) => e.event),
      ['completed'],
    );
    const job = await getJob(api, jobId);
    assert.equal(job.status, 'completed');
    assert.equal(job.kind, 'import');
    assert.equal(job.result?.inserted, 250);
  });

  test('many readers of a running import all see its live progress at once', async () => {
    const jobId = await startImport(api, generatedCsv('many', 20_000, 'x'));
    await pollUntil(
      'applying',
      () => getImport(api, jobId),
      (s) => s.progress?.stage === 'applying',
    );
    for (let round = 0; round < 5; round++) {
      const started = Date.now();
      const reads = await Promise.all(Array.from({ length: 4 }, () => getImport(api, jobId)));
      const elapsed = Date.now() - started;
      if (reads.some((read) => read.status === 'completed')) break;
      // Well under the 2 s query timeout: overlapping queries on one workflow no longer wait on each other.
      assert.ok(elapsed < 1_500, `4 concurrent reads took ${elapsed} ms`);
    }
    assert.equal((await finalEvent(api, jobId)).event, 'completed');
  });

  test('the history lists imports newest first with links to Temporal and the error report', async () => {
    const jobId = await startImport(api, generatedCsv('hist', 5, 'x'));
    await finalEvent(api, jobId);
    const history = await listImports(api, '?pageSize=5');
    assert.equal(history.items[0]?.id, jobId);
    assert.equal(history.items[0]?.fileName, 'catalog.csv');
    assert.match(history.items[0]?.temporalUrl ?? '', new RegExp(`/workflows/import-${jobId}$`));
    assert.ok(history.total >= 1);
    const bad = await api.fetch(`/api/imports?pageSize=1000`);
    assert.equal(bad.status, 400);
    assert.match((await errorBody(bad)).error.message, /pageSize/);
  });
});

describe('upload checks', () => {
  const expectError = async (response: Response, status: number, message: RegExp) => {
    assert.equal(response.status, status);
    assert.match((await errorBody(response)).error.message, message);
  };

  test('an empty file is refused', async () => {
    await expectError(await upload(api, ''), 400, /empty/);
  });
  test('a binary file is refused', async () => {
    await expectError(await upload(api, new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 1, 2])), 415, /binary/);
  });
  test('a file that is not UTF-8 is refused', async () => {
    await expectError(await upload(api, new Uint8Array([0x73, 0x6b, 0x75, 0x2c, 0xe9, 0x0a])), 415, /UTF-8/);
  });
  test('a header without sku and name is refused, naming what is missing', async () => {
    await expectError(await upload(api, 'code,title\n1,2\n'), 400, /sku and name.*missing: sku, name/);
  });
  test('a request that is not multipart is refused', async () => {
    const response = await api.fetch(`/api/imports`, {
      method: 'POST',
      body: 'sku,name\n',
      headers: { 'content-type': 'text/csv' },
    });
    await expectError(response, 415, /multipart/);
  });
  test('a tab-separated file with spaced, capitalised headers is read', async () => {
    const response = await upload(api, ' SKU \t Name \tPRICE\ntab-1\tTabbed\t3\n');
    assert.equal(response.status, 202);
    const final = await finalEvent(api, (await accepted(response)).jobId);
    assert.equal(final.event, 'completed');
    assert.equal((await product('tab-1'))?.price, '3.00');
  });
  test('an unknown import is a 404 and a malformed id a 400', async () => {
    await expectError(await api.fetch(`/api/imports/00000000-0000-4000-8000-000000000000`), 404, /not found/);
    await expectError(await api.fetch(`/api/imports/nope`), 400, /id/);
  });
});

describe('search indexes on a large import into a small catalog', () => {
  /** The trigram indexes on products that exist and are usable, with their definitions. */
  async function validSearchIndexes(): Promise<string[]> {
    const { rows } = await stack.deps.db.pool.query<{ def: string }>(
      `select pg_get_indexdef(i.indexrelid) as def from pg_index i
       where i.indrelid = 'products'::regclass and i.indisvalid and i.indisready
         and pg_get_indexdef(i.indexrelid) like '%gin_trgm_ops%'
       order by 1`,
    );
    return rows.map(({ def }) => def);
  }
  const expected = [
    'CREATE INDEX products_description_trgm_idx ON public.products USING gin (description_lower gin_trgm_ops)',
    'CREATE INDEX products_name_trgm_idx ON public.products USING gin (name gin_trgm_ops)',
    'CREATE INDEX products_sku_trgm_idx ON public.products USING gin (sku_key gin_trgm_ops)',
  ];

  /** The drop depends on the catalog's size next to the import's: start, as a first import does, from none. */
  const emptyCatalog = () => stack.deps.db.pool.query(`delete from products`);

  test('are dropped while it applies and built again before it completes', async () => {
    await emptyCatalog();
    assert.deepEqual(await validSearchIndexes(), expected);
    const gate = holdAt(1);
    let jobId = '';
    try {
      jobId = await startImport(api, generatedCsv('bulk', 12_000, 'x'));
      await gate.reached;
      assert.deepEqual(await validSearchIndexes(), [], 'the import applies without the search indexes');
    } finally {
      gate.release();
      hold = null;
    }
    const final = await finalEvent(api, jobId);
    assert.equal(final.event, 'completed', JSON.stringify(final.data.error));
    assert.equal(final.data.result?.inserted, 12_000);
    assert.deepEqual(await validSearchIndexes(), expected);
    const { rows } = await stack.deps.db.pool.query(
      `select count(*)::int as n from products where name like '%m 11999 x'`,
    );
    assert.equal(rows[0]?.n, 1);
    await stack.deps.db.pool.query(`delete from products where sku like 'bulk-%'`);
  });

  test('are built again when the import fails and is undone', async () => {
    await emptyCatalog();
    await finalEvent(api, await startImport(api, generatedCsv('bulkfail', 300, 'before')));
    const snapshot = await catalog();
    const { held } = await importFailingAfterChunk1(generatedCsv('bulkfail', 12_000, 'x'), validSearchIndexes);
    assert.deepEqual(held, [], 'the import applied without the search indexes');
    assert.deepEqual(await validSearchIndexes(), expected);
    assert.deepEqual(valuesOf(await catalog()), valuesOf(snapshot));
  });
});

describe('vacuum after an import', () => {
  /** Manual vacuums of products so far (autovacuum's counted apart), one running now, the last analyze. */
  async function vacuums(): Promise<{ count: number; running: boolean; analyzed: Date | null }> {
    const { rows } = await stack.deps.db.pool.query<{ count: number; running: boolean; analyzed: Date | null }>(
      `select vacuum_count::int as count, last_analyze as analyzed,
              exists (select 1 from pg_stat_progress_vacuum v where v.relid = s.relid)
                or exists (select 1 from pg_stat_progress_analyze a where a.relid = s.relid) as running
       from pg_stat_user_tables s where relid = 'products'::regclass`,
    );
    return rows[0] ?? { count: 0, running: false, analyzed: null };
  }

  async function jobWorkflowEnded(jobId: string): Promise<void> {
    const { rows } = await stack.deps.db.pool.query<{ workflow_id: string }>(
      'select workflow_id from jobs where id = $1',
      [jobId],
    );
    const workflowId = rows[0]?.workflow_id;
    assert.ok(workflowId, 'the job has a workflow');
    await stack.deps.temporal.client.workflow.getHandle(workflowId).result();
  }

  /** Sets of sort position marks built from the products as they are now (see refreshSortMarks). */
  async function freshMarkSets(): Promise<number> {
    const { rows } = await stack.deps.db.pool.query<{ n: number }>(
      `select count(*)::int as n from product_sort_mark_sets
       where changes = (select coalesce(sum(changes), 0) from product_counts)`,
    );
    return rows[0]?.n ?? 0;
  }

  test('a large import ends with products vacuumed and analyzed; a small one leaves it to autovacuum', async () => {
    // The vacuum runs after the import's completion is recorded: an earlier test's may still be going.
    const before = await pollUntil('no vacuum running', vacuums, (v) => !v.running);
    const smallJob = await startImport(api, generatedCsv('vacsmall', 300, 'x'));
    const small = await finalEvent(api, smallJob);
    assert.equal(small.event, 'completed', JSON.stringify(small.data.error));
    // The job reads completed before its finalize step would vacuum: wait for its workflow to end.
    await jobWorkflowEnded(smallJob);
    assert.equal((await vacuums()).count, before.count, 'no vacuum after the 300-row import');
    const large = await finalEvent(api, await startImport(api, generatedCsv('vaclarge', 10_000, 'x')));
    assert.equal(large.event, 'completed', JSON.stringify(large.data.error));
    // Its analyze pass reports after its vacuum pass.
    const analyzedSince = (v: { analyzed: Date | null }) =>
      !!v.analyzed && (!before.analyzed || v.analyzed > before.analyzed);
    const after = await pollUntil(
      'the vacuum after the import',
      vacuums,
      (v) => v.count > before.count && analyzedSince(v),
    );
    assert.equal(after.count, before.count + 1, 'one vacuum, after the 10,000-row import');
    // Then every sort's marks, for all products and for each `active` value, from the imported catalog.
    await pollUntil('sort position marks rebuilt after the vacuum', freshMarkSets, (n) => n === 12);
    await stack.deps.db.pool.query(`delete from products where sku like 'vac%'`);
  });
});
