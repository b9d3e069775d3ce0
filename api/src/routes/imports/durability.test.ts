import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import type { Api } from '../../../../tests/support/api';
import {
  errorBody,
  finalEvent,
  generatedCsv,
  getImport,
  listImports,
  pollUntil,
  spawnWorker,
  startImport,
  upload,
} from '../../../../tests/support/imports';
import { type Stack, startStack } from '../../../../tests/support/stack';

/** The worker runs in a process of its own here, so it can really be killed with SIGKILL. */
let stack: Stack;
let api: Api;
const children: ChildProcess[] = [];

before(async () => {
  stack = await startStack({
    isolated: true,
    worker: false,
    env: { IMPORT_CHUNK_ROWS: '500', IMPORT_PARALLELISM: '2', UPLOAD_MAX_BYTES: '20000000' },
  });
  api = await stack.as('editor');
});
after(async () => {
  for (const child of children) child.kill('SIGKILL');
  await stack?.stop();
});

function startWorkerProcess(): ChildProcess {
  const child = spawnWorker(stack.config);
  children.push(child);
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

test('a worker killed mid-import, once another starts, finishes with the exact right catalog', async () => {
  const rows = 40_000;
  const seeding = startWorkerProcess();
  await finalEvent(api, await startImport(api, generatedCsv('kill', 1_000, 'old')));
  await kill(seeding);
  const jobId = await startImport(api, generatedCsv('kill', rows, 'new'));

  const first = startWorkerProcess();
  const midway = await pollUntil(
    'the import to start applying',
    () => getImport(api, jobId),
    (s) => (s.progress?.rowsApplied ?? 0) > 0,
    120_000,
  );
  await kill(first);
  assert.ok((midway.progress?.rowsApplied ?? rows) < rows, 'killed before the end');

  startWorkerProcess();
  const final = await finalEvent(api, jobId);
  assert.equal(final.event, 'completed', JSON.stringify(final.data.error));
  assert.equal(final.data.result?.inserted, rows - 1_000);
  assert.equal(final.data.result?.updated, 1_000);

  const { rows: counts } = await stack.deps.db.pool.query<{ total: number; stale: number; versions: number }>(
    `select count(*)::int as total,
            count(*) filter (where name not like '% new')::int as stale,
            count(*) filter (where version <> case when split_part(sku, '-', 2)::int < 1000 then 2 else 1 end)::int as versions
     from products where sku like 'kill-%'`,
  );
  assert.deepEqual(counts[0], { total: rows, stale: 0, versions: 0 });
});

test('a worker killed while staging the file, once another starts, finishes with the exact right catalog', async () => {
  const rows = 150_000;
  const jobId = await startImport(api, generatedCsv('stagekill', rows, 'x'));
  const first = startWorkerProcess();
  await pollUntil(
    'staging to be under way',
    () => getImport(api, jobId),
    (s) => s.progress?.stage === 'staging' && s.progress.rowsParsed > 0,
    120_000,
  );
  await kill(first);
  startWorkerProcess();
  const final = await finalEvent(api, jobId);
  assert.equal(final.event, 'completed', JSON.stringify(final.data.error));
  assert.equal(final.data.result?.inserted, rows);
  assert.equal(final.data.result?.rowsRead, rows);
  const { rows: counted } = await stack.deps.db.pool.query(
    `select count(*)::int as n from products where sku like 'stagekill-%'`,
  );
  assert.equal(counted[0]?.n, rows);
});

test('a file over the size limit is refused with 413 and leaves no job behind', async () => {
  const before = await listImports(api);
  const response = await upload(api, generatedCsv('big', 400_000, 'x'));
  assert.equal(response.status, 413);
  assert.match((await errorBody(response)).error.message, /larger than the limit of 20000000 bytes/);
  const afterwards = await listImports(api);
  assert.equal(afterwards.total, before.total);
});
