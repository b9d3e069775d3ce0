import { spawn } from 'node:child_process';
import { openAsBlob } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { importAcceptedSchema, importSummarySchema, jobSnapshotSchema, undoResultSchema } from '@catalog/domain';
import { z } from 'zod';
import { type Api, apiAs } from '../tests/support/api';
import { apiKeyInDatabase } from '../tests/support/api-keys';
import { isolatedDatabase } from '../tests/support/database';
import { writeCatalogCsv } from './lib/catalog-csv';
import { peakRssMb, repoRoot, startApp } from './lib/processes';
import { reviewThenApply } from './lib/review-run';

/**
 * npm run bench:import [-- --rows 5000000]
 * (a) the whole HTTP path, upload → `completed` event, against the real API and worker processes;
 * (b) the same file again (nothing changes); (c) the PostgreSQL docs' "Populating a Database" recipe
 * on the same server and schema, measured in the same run: drop the search (trigram GIN) indexes,
 * psql \copy into a temp table, one INSERT … SELECT DISTINCT ON … ON CONFLICT, then CREATE INDEX
 * for them again (timed apart: load, indexes), once before and once after ours. Each run has an
 * empty catalog database of its own, cloned from the same migrated template. The machine may be
 * shared, so only ratios within one run compare. (d) then undoes the first import (issue 13): every
 * product it inserted is removed again, batch by batch, as `POST /api/imports/:id/undo` does it.
 * (e) then imports the same file again into the emptied catalog with review before apply (issue 13):
 * upload → review ready (staged, planned, diffed), then apply → completed, beside (a).
 */
/** The search indexes as the migrations define them: the recipe drops and rebuilds them. */
const SEARCH_INDEXES = {
  products_sku_trgm_idx: 'gin (sku_key gin_trgm_ops)',
  products_name_trgm_idx: 'gin (name gin_trgm_ops)',
  products_description_trgm_idx: 'gin (description_lower gin_trgm_ops)',
};

const { values } = parseArgs({ options: { rows: { type: 'string', default: '500000' } } });
const rows = Number(values.rows);
if (!Number.isInteger(rows) || rows < 1) throw new Error('--rows must be a positive whole number');

const work = await mkdtemp(path.join(tmpdir(), 'catalog-bench-'));
const csvPath = path.join(work, `catalog-${rows}.csv`);
const generated = await writeCatalogCsv(csvPath, rows);
const appDb = await isolatedDatabase();
const recipeDbs = [await isolatedDatabase(), await isolatedDatabase()] as const;
const { admin, api, worker, stop } = await startApp(appDb.url, work);

try {
  const warmup = path.join(work, 'warmup.csv');
  await writeCatalogCsv(warmup, 100, 7);
  await importFile(warmup);

  // The recipe runs once before and once after our imports, and the faster run is the yardstick:
  // load from other work on the machine then weighs on both sides rather than flattering ours.
  const recipeBefore = await runRecipe(recipeDbs[0].url, csvPath);
  const first = await importFile(csvPath);
  const again = await importFile(csvPath);
  const recipeAfter = await runRecipe(recipeDbs[1].url, csvPath);
  const editor = apiAs(admin.baseUrl, await apiKeyInDatabase(appDb.url, 'editor'));
  const undone = await undoImport(first.jobId, editor);
  const reviewed = await reviewThenApply(editor, csvPath);
  const recipe = recipeBefore.totalMs <= recipeAfter.totalMs ? recipeBefore : recipeAfter;
  const baseline = recipe.totalMs;
  const apiRss = peakRssMb(api.pid);
  const workerRss = peakRssMb(worker.pid);

  const mb = (bytes: number) => (bytes / 1024 ** 2).toFixed(1);
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`import benchmark: ${rows} rows, ${mb(generated.bytes)} MB, ${generated.distinctSkus} distinct SKUs`);
  console.log(
    `(a) first import, HTTP upload → completed: ${s(first.totalMs)} (upload ${s(first.uploadMs)}; ${first.result})`,
  );
  console.log(
    `(b) re-import of the same file:            ${s(again.totalMs)} (upload ${s(again.uploadMs)}; ${again.result})`,
  );
  console.log(
    `(c) recipe: \\copy + upsert, then CREATE INDEX: ${s(baseline)} (load ${s(recipe.loadMs)}, indexes ${s(recipe.indexMs)}; ` +
      `runs before and after ours: ${s(recipeBefore.totalMs)}, ${s(recipeAfter.totalMs)})`,
  );
  console.log(
    `ratio a/c = ${(first.totalMs / baseline).toFixed(2)} (bar ≤ 1.5, goal ≤ 1.0), ` +
      `b/c = ${(again.totalMs / baseline).toFixed(2)} (bar ≤ 0.3), b/a = ${(again.totalMs / first.totalMs).toFixed(2)} (bar ≤ 0.5 at 5M)`,
  );
  console.log(
    `(d) undo of the first import, POST → completed: ${s(undone.totalMs)} (${undone.result}); ` +
      `d/a = ${(undone.totalMs / first.totalMs).toFixed(2)}`,
  );
  console.log(
    `(e) reviewed import of the same file into the emptied catalog: review ready ${s(reviewed.reviewReadyMs)} ` +
      `(upload ${s(reviewed.uploadMs)}; ${JSON.stringify(reviewed.review)}), apply → completed ${s(reviewed.applyMs)} ` +
      `(${reviewed.result}); (review + apply)/a = ${((reviewed.reviewReadyMs + reviewed.applyMs) / first.totalMs).toFixed(2)}`,
  );
  console.log(`peak RSS: api ${apiRss} MB (bar ≤ 200, goal ≤ 150), worker ${workerRss} MB (bar ≤ 300, goal ≤ 250)`);
  for (const [name, run] of [
    ['a', first],
    ['b', again],
  ] as const) {
    console.log(
      `progress (${name}): first event ${s(run.firstEventMs)} after the upload; ${run.progressEvents} events; ` +
        `longest gap per stage: ${Object.entries(run.maxGapByStage)
          .map(([stage, gap]) => `${stage} ${s(gap)}`)
          .join(', ')}`,
    );
    console.log(
      `stages (${name}), as seen by a listener: ${Object.entries(run.stageMs)
        .map(([stage, ms]) => `${stage} ${s(ms)}`)
        .join(', ')}`,
    );
  }
} finally {
  stop();
  await Promise.allSettled([appDb.drop(), ...recipeDbs.map((db) => db.drop())]);
  await rm(work, { recursive: true, force: true });
}

async function importFile(file: string) {
  const started = performance.now();
  const form = new FormData();
  form.append('file', await openAsBlob(file), path.basename(file));
  const response = await admin.fetch('/api/imports', { method: 'POST', body: form });
  if (response.status !== 202) throw new Error(`upload answered ${response.status}: ${await response.text()}`);
  const { jobId } = importAcceptedSchema.parse(await response.json());
  const uploaded = performance.now();

  const events = await admin.fetch(`/api/imports/${jobId}/events`);
  if (!events.body) throw new Error('no event stream');
  const decoder = new TextDecoder();
  let pending = '';
  let firstEventAt: number | null = null;
  let progressEvents = 0;
  let last: { at: number; stage: string } | null = null;
  const maxGapByStage: Record<string, number> = {};
  const stageStarts: Record<string, number> = {};
  let finalEvent = '';
  let result = '';
  for await (const chunk of events.body) {
    pending += decoder.decode(chunk, { stream: true });
    let boundary = pending.indexOf('\n\n');
    while (boundary !== -1) {
      const block = pending.slice(0, boundary);
      pending = pending.slice(boundary + 2);
      boundary = pending.indexOf('\n\n');
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (!event || !data) continue;
      const now = performance.now();
      firstEventAt ??= now;
      const summary = importSummarySchema.parse(JSON.parse(data));
      const stage = summary.progress?.stage ?? 'unknown';
      stageStarts[stage] ??= now;
      if (last && last.stage === stage) maxGapByStage[stage] = Math.max(maxGapByStage[stage] ?? 0, now - last.at);
      last = { at: now, stage };
      if (event === 'progress') progressEvents++;
      else {
        finalEvent = event;
        const r = summary.result;
        result = r
          ? `inserted ${r.inserted}, updated ${r.updated}, unchanged ${r.unchanged}, invalid ${r.invalid}`
          : '';
      }
    }
  }
  if (finalEvent !== 'completed') throw new Error(`import ended with "${finalEvent}"`);
  const done = performance.now();
  const order = Object.entries(stageStarts).sort((x, y) => x[1] - y[1]);
  const stageMs = Object.fromEntries(order.map(([stage, at], i) => [stage, (order[i + 1]?.[1] ?? done) - at]));
  return {
    jobId,
    stageMs,
    totalMs: done - started,
    uploadMs: uploaded - started,
    firstEventMs: (firstEventAt ?? done) - uploaded,
    progressEvents,
    maxGapByStage,
    result,
  };
}

/** Undoes an import as a person would, and waits for the undo job's final event. */
async function undoImport(importId: string, editor: Api) {
  const started = performance.now();
  const response = await editor.fetch(`/api/imports/${importId}/undo`, { method: 'POST' });
  if (response.status !== 202) throw new Error(`undo answered ${response.status}: ${await response.text()}`);
  const { jobId } = z.object({ jobId: z.string() }).parse(await response.json());
  const events = await (await editor.fetch(`/api/jobs/${jobId}/events`)).text();
  const final = events
    .split('\n\n')
    .map((block) => ({ event: /^event: (.*)$/m.exec(block)?.[1], data: /^data: (.*)$/m.exec(block)?.[1] }))
    .filter((block) => block.event && block.data)
    .at(-1);
  if (final?.event !== 'completed') throw new Error(`undo ended with "${final?.event}"`);
  const result = undoResultSchema.parse(jobSnapshotSchema.parse(JSON.parse(final.data ?? '')).result);
  return {
    totalMs: performance.now() - started,
    result: `removed ${result.removed}, restored ${result.restored}, conflicts ${result.conflictCount}`,
  };
}

async function runRecipe(databaseUrl: string, file: string) {
  const create = Object.entries(SEARCH_INDEXES)
    .map(([name, using]) => `create index ${name} on products using ${using};`)
    .join('\n');
  const loadMs = await runPsql(
    databaseUrl,
    `
    drop index ${Object.keys(SEARCH_INDEXES).join(', ')};
    create temp table staging (row_no bigserial, sku text, name text, description text, price numeric(12, 2), active boolean);
    \\copy staging (sku, name, description, price, active) from '${file}' with (format csv, header true)
    insert into products (sku, name, description, price, active)
    select distinct on (lower(sku)) sku, name, coalesce(description, ''), price, active
    from staging order by lower(sku), row_no desc
    on conflict (sku_key) do update
      set sku = excluded.sku, name = excluded.name, description = excluded.description,
          price = excluded.price, active = excluded.active, updated_at = now();`,
  );
  const indexMs = await runPsql(databaseUrl, `set maintenance_work_mem = '256MB';\n${create}`);
  return { loadMs, indexMs, totalMs: loadMs + indexMs };
}

/**
 * Runs a psql script and times it. Asynchronous on purpose: a synchronous child would block this
 * process for the whole load, and the HTTP client would then reuse keep-alive sockets the API
 * closed meanwhile (an EPIPE on the next upload).
 */
function runPsql(databaseUrl: string, script: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('psql', [databaseUrl, '-v', 'ON_ERROR_STOP=1', '-q', '-c', 'select 1', '-f', '-'], {
      cwd: repoRoot,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    child.once('error', (error) => reject(new Error(`psql is needed for the recipe: ${error.message}`)));
    child.once('close', (code) => {
      if (code === 0) resolve(performance.now() - started);
      else reject(new Error(`recipe failed: ${stderr}`));
    });
    child.stdin.end(script);
  });
}
