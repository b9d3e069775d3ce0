import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import {
  importSummarySchema,
  jobSnapshotSchema,
  jobWorkflowId,
  undoProgressSchema,
  undoResultSchema,
} from '@catalog/domain';
import { z } from 'zod';
import { type Credentials, requestAs } from '../../../../tests/support/auth';
import { generatedCsv, pollUntil } from '../../../../tests/support/imports';
import { type Stack, startStack } from '../../../../tests/support/stack';

/**
 * POST /api/imports/:id/undo through the real API, worker, Temporal and PostgreSQL, on a database of
 * its own. Chunks of 5,000 rows make an undo of 20,000 inserted products take four batches, so a row
 * lock held by the test makes "mid-way" deterministic.
 */
let stack: Stack;
let editor: Credentials;
let admin: Credentials;

before(async () => {
  stack = await startStack({ isolated: true, env: { SSE_POLL_MS: '100', IMPORT_CHUNK_ROWS: '5000' } });
  editor = await stack.keyFor('editor');
  admin = await stack.keyFor('admin');
});
after(async () => {
  await stack?.stop();
});

const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const jobEvent = z.object({ event: z.string(), data: jobSnapshotSchema });
const conflictsPage = z.object({
  items: z.array(z.object({ sku: z.string(), message: z.string() })),
  nextCursor: z.string().nullable(),
});

async function importCsv(csv: string, fileName = 'catalog.csv'): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([csv]), fileName);
  const key = editor && 'key' in editor ? editor.key : '';
  const response = await fetch(`${stack.baseUrl}/api/imports`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${key}` },
  });
  const body: unknown = await response.json();
  assert.equal(response.status, 202, JSON.stringify(body));
  const jobId = z.object({ jobId: z.string() }).parse(body).jobId;
  const done = await pollUntil(
    `import ${jobId}`,
    () => getImport(jobId),
    (summary) => summary.status !== 'queued' && summary.status !== 'running',
  );
  assert.equal(done.status, 'completed', JSON.stringify(done.error));
  return jobId;
}

async function getImport(id: string) {
  const response = await requestAs(stack.baseUrl, admin, `/api/imports/${id}`);
  return importSummarySchema.parse(await response.json());
}

const undo = (id: string, as: Credentials = editor) =>
  requestAs(stack.baseUrl, as, `/api/imports/${id}/undo`, { method: 'POST' });

async function startUndo(id: string): Promise<string> {
  const response = await undo(id);
  const body: unknown = await response.json();
  assert.equal(response.status, 202, JSON.stringify(body));
  assert.match(response.headers.get('location') ?? '', /^\/api\/jobs\//);
  return z.object({ jobId: z.string() }).parse(body).jobId;
}

async function refusal(id: string): Promise<{ status: number; code: string }> {
  const response = await undo(id);
  const body = errorBody.parse(await response.json());
  return { status: response.status, code: body.error.code };
}

/** Reads the job's SSE stream to its end (the server closes it after the final event). */
async function jobEvents(jobId: string) {
  const response = await requestAs(stack.baseUrl, admin, `/api/jobs/${jobId}/events`);
  assert.equal(response.status, 200);
  const events: z.infer<typeof jobEvent>[] = [];
  for (const block of (await response.text()).split('\n\n')) {
    const lines = block.split('\n');
    const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
    const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
    if (event && data) events.push(jobEvent.parse({ event, data: JSON.parse(data) }));
  }
  return events;
}

async function products(prefix: string): Promise<Map<string, string>> {
  const { rows } = await stack.deps.db.pool.query<{ sku: string; name: string }>(
    `select sku, name from products where sku like $1 || '-%'`,
    [prefix],
  );
  return new Map(rows.map((row) => [row.sku, row.name]));
}

test('undo removes what the import inserted and restores what it updated, keeping rows changed since as conflicts', async () => {
  await importCsv(generatedCsv('u', 10, 'before'));
  const importId = await importCsv(
    `${generatedCsv('u', 10, 'after')}${generatedCsv('n', 5, 'new').split('\n').slice(1).join('\n')}`,
  );
  const landed = await getImport(importId);
  assert.deepEqual({ ...landed.undoable, until: null }, { removes: 5, restores: 10, until: null });

  // Changed since the import, as a person would through the API (a new version each time).
  const db = stack.deps.db.pool;
  await db.query(`update products set name = 'edited by hand', version = version + 1 where sku in ('u-3', 'n-2')`);
  await db.query(`delete from products where sku = 'u-5'`);

  const forbidden = await undo(importId, await stack.keyFor('viewer'));
  assert.equal(forbidden.status, 403, 'a viewer may not undo');
  const anonymous = await undo(importId, null);
  assert.equal(anonymous.status, 401);

  const jobId = await startUndo(importId);
  const events = await jobEvents(jobId);
  const final = events.at(-1);
  assert.equal(final?.event, 'completed', JSON.stringify(final?.data.error));
  assert.equal(final?.data.kind, 'undo');
  const result = undoResultSchema.parse(final?.data.result);
  assert.equal(result.importId, importId);
  assert.equal(result.restored, 8);
  assert.equal(result.removed, 4);
  assert.equal(result.conflictCount, 3);
  assert.deepEqual(
    result.conflicts.map(({ sku, change, reason }) => `${sku}:${change}:${reason}`),
    ['n-2:inserted:edited', 'u-3:updated:edited', 'u-5:updated:deleted'],
  );
  const paged: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const response = await requestAs(
      stack.baseUrl,
      await stack.keyFor('viewer'),
      `/api/imports/${importId}/undo/conflicts?limit=2${query}`,
    );
    assert.equal(response.status, 200);
    const page = conflictsPage.parse(await response.json());
    paged.push(...page.items.map(({ sku, message }) => `${sku}:${message.length > 0}`));
    cursor = page.nextCursor;
  } while (cursor !== null);
  assert.deepEqual(paged, ['n-2:true', 'u-3:true', 'u-5:true'], 'every conflict, once, in pages of two');
  const badCursor = await requestAs(stack.baseUrl, admin, `/api/imports/${importId}/undo/conflicts?cursor=%25%25`);
  assert.equal(badCursor.status, 400);
  const neverUndone = await requestAs(stack.baseUrl, admin, `/api/imports/${randomUUID()}/undo/conflicts`);
  assert.equal(neverUndone.status, 404);
  const progress = events.filter((e) => e.event === 'progress').map((e) => undoProgressSchema.parse(e.data.progress));
  assert.ok(progress.length > 0, 'progress was streamed');

  const updated = await products('u');
  assert.equal(updated.get('u-3'), 'edited by hand', 'the edited product is kept');
  assert.equal(updated.has('u-5'), false, 'the deleted product stays deleted');
  for (const i of [0, 1, 2, 4, 6, 7, 8, 9]) assert.equal(updated.get(`u-${i}`), `Item ${i} before`);
  assert.deepEqual([...(await products('n')).keys()], ['n-2'], 'only the edited insert is kept');

  const versions = await db.query<{ version: number }>(`select version from products where sku = 'u-0'`);
  assert.equal(versions.rows[0]?.version, 3, 'a restore is a new write: the version goes up, never back');

  const history = await getImport(importId);
  assert.deepEqual(history.undoJob, { id: jobId, status: 'completed' });
  assert.equal(history.undo?.restored, 8);
  assert.equal(history.undo?.conflictCount, 3);
  assert.equal(history.undoable, null);

  const workflow = await db.query<{ workflow_id: string }>(`select workflow_id from jobs where id = $1`, [jobId]);
  assert.equal(workflow.rows[0]?.workflow_id, jobWorkflowId('undo', jobId));
  const outbox = await db.query<{ data: unknown }>(
    `select data from outbox_events where type = 'import.undone' and data->>'jobId' = $1`,
    [jobId],
  );
  assert.equal(outbox.rows.length, 1, 'one event for the whole undo');
  const { actor, ...event } = z
    .looseObject({ actor: z.looseObject({ kind: z.string(), label: z.string() }) })
    .parse(outbox.rows[0]?.data);
  assert.equal(actor.kind, 'key', 'the undo event names who asked for it');
  assert.match(actor.label, /test editor/);
  assert.deepEqual(event, {
    jobId,
    importId,
    status: 'completed',
    restored: 8,
    removed: 4,
    conflictCount: 3,
  });
  const log = await db.query(
    `select 1 from import_undo where job_id = $1 union all select 1 from import_undo_inserts where job_id = $1`,
    [importId],
  );
  assert.equal(log.rowCount, 0, 'the undo log is consumed');

  assert.deepEqual(await refusal(importId), { status: 409, code: 'already_undone' });
  assert.deepEqual(await refusal(jobId), { status: 409, code: 'undo_not_undoable' });
  await db.query(`delete from products`);
});

test('undo is refused for imports not completed, past the undo period, or never kept; unknown ids are 404', async () => {
  const db = stack.deps.db.pool;
  const expired = await importCsv(generatedCsv('old', 3, 'x'));
  await db.query(`update jobs set finished_at = now() - interval '8 days' where id = $1`, [expired]);
  assert.deepEqual(await refusal(expired), { status: 409, code: 'undo_expired' });
  assert.equal((await getImport(expired)).undoable, null);

  const unkept = await importCsv(generatedCsv('unkept', 3, 'x'));
  await db.query(`delete from import_undo_logs where job_id = $1`, [unkept]);
  assert.deepEqual(await refusal(unkept), { status: 409, code: 'undo_expired' });

  for (const status of ['queued', 'running', 'failed', 'cancelled']) {
    const id = randomUUID();
    await db.query(
      `insert into jobs (id, kind, status, workflow_id, created_at, finished_at)
       values ($1, 'import', $2::text, $3, now(), case when $2::text in ('failed', 'cancelled') then now() end)`,
      [id, status, jobWorkflowId('import', id)],
    );
    assert.deepEqual(await refusal(id), { status: 409, code: 'import_not_completed' }, status);
    // A queued or running job without a workflow would hold the queue for the next test.
    await db.query(`delete from jobs where id = $1`, [id]);
  }

  const missing = await undo(randomUUID());
  assert.equal(missing.status, 404);
  const malformed = await undo('not-a-uuid');
  assert.equal(malformed.status, 400);
  await db.query(`delete from products`);
});

test('cancelling an undo keeps what it undid; a second undo takes back the rest', async () => {
  const db = stack.deps.db.pool;
  const importId = await importCsv(generatedCsv('c', 20_000, 'new'));
  // The third of four batches (5,000 inserted ids each, one chunk's) waits on this row until the test lets go.
  const { rows } = await db.query<{ id: string }>(
    `select product_ids[1] as id from import_undo_inserts where job_id = $1 and chunk_no = 2`,
    [importId],
  );
  const held = await holdRow(rows[0]?.id);
  try {
    const jobId = await startUndo(importId);
    const events = jobEvents(jobId);
    await pollUntil(
      'the first batches',
      async () =>
        (await db.query<{ n: number }>(`select removed::int as n from import_undo_runs where job_id = $1`, [jobId]))
          .rows[0]?.n ?? 0,
      (n) => n >= 10_000,
    );
    assert.equal((await undo(importId)).status, 409, 'undo_in_progress while it runs');

    const cancel = await requestAs(stack.baseUrl, admin, `/api/jobs/${jobId}/cancel`, { method: 'POST' });
    assert.equal(cancel.status, 202);
    const handle = stack.deps.temporal.client.workflow.getHandle(jobWorkflowId('undo', jobId));
    await pollUntil(
      'the cancel request to reach the slice',
      async () => (await handle.fetchHistory()).events ?? [],
      (history) => history.some((event) => event.activityTaskCancelRequestedEventAttributes),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await held.release();

    const final = (await events).at(-1);
    assert.equal(final?.event, 'cancelled');
    const partial = undoResultSchema.parse(final?.data.result);
    const left = (await products('c')).size;
    assert.ok(partial.removed >= 10_000 && partial.removed < 20_000, `removed ${partial.removed}`);
    assert.equal(left, 20_000 - partial.removed, 'exactly the reported products were removed');

    const summary = await getImport(importId);
    assert.equal(summary.undoJob?.status, 'cancelled');
    assert.equal(summary.undo?.removed, partial.removed);
    assert.ok(summary.undoable, 'a cancelled undo can be tried again');

    const again = await startUndo(importId);
    const rest = (await jobEvents(again)).at(-1);
    assert.equal(rest?.event, 'completed');
    assert.equal(undoResultSchema.parse(rest?.data.result).removed, left);
    assert.equal((await products('c')).size, 0);
  } finally {
    await held.release();
    await db.query(`delete from products`);
  }
});

/** Holds a row lock on one product in a transaction of its own, so an undo reaching it waits there. */
async function holdRow(id: string | undefined): Promise<{ release: () => Promise<void> }> {
  assert.ok(id, 'a product to hold');
  const client = await stack.deps.db.pool.connect();
  await client.query('begin');
  await client.query(`select 1 from products where id = $1 for update`, [id]);
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      await client.query('commit');
      client.release();
    },
  };
}
