import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createJob, importTables, openDatabase, startJob } from '@catalog/db';
import { jobWorkflowId, systemAttribution } from '@catalog/domain';
import { createFsUploadStore } from '@catalog/uploads';
import type { Client } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import pino from 'pino';
import { createApplyImportChunk } from '../activities/src/imports/apply-chunk';
import { createPlanImport } from '../activities/src/imports/plan';
import { ensureSearchIndexes } from '../activities/src/imports/search-indexes';
import { createStageImport } from '../activities/src/imports/stage';
import { isolatedDatabase } from '../tests/support/database';
import { writeCatalogCsv } from './lib/catalog-csv';

/**
 * npm run bench -- import-steps [-- --rows 500000 --runs 3]
 * Where an import's time goes, step by step, without HTTP or Temporal: the real stage, plan and
 * apply activities (in a mock activity context) on a database of its own, run `runs` times on the
 * same file. Run 1 is a first import into an empty catalog (its search indexes built again after,
 * as finalize does); every later run is an unchanged re-import. Wall time and this process's CPU
 * time per step: on a shared machine, the CPU time of the reader is the steadier number.
 */
const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '500000' },
    runs: { type: 'string', default: '3' },
    parallelism: { type: 'string', default: '2' },
    chunk: { type: 'string', default: '50000' },
  },
});
const rows = Number(values.rows);
const chunkRows = Number(values.chunk);
const parallelism = Number(values.parallelism);

const work = await mkdtemp(path.join(tmpdir(), 'catalog-steps-'));
const fileName = 'catalog.csv';
await writeCatalogCsv(path.join(work, fileName), rows);
const fileSize = (await stat(path.join(work, fileName))).size;
const database = await isolatedDatabase();
const db = await openDatabase({ databaseUrl: database.url });
// Staging signals its progress to the workflow; here nobody listens.
const temporal = { workflow: { getHandle: () => ({ signal: async () => {} }) } } as unknown as Client;
const deps = { db, temporal, logger: pino({ level: 'warn' }), uploads: createFsUploadStore(work) };
const activities = {
  stage: createStageImport(deps),
  plan: createPlanImport(deps),
  apply: createApplyImportChunk(deps),
};

async function timed<T>(label: string, step: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await step();
  const used = process.cpuUsage(cpu);
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(
    `  ${label.padEnd(8)} ${s(performance.now() - started)} (this process's CPU ${s((used.user + used.system) / 1000)})`,
  );
  return result;
}

try {
  console.log(
    `import steps: ${rows} rows, ${(fileSize / 1024 ** 2).toFixed(1)} MB, chunks of ${chunkRows}, ${parallelism} at a time`,
  );
  for (let run = 1; run <= Number(values.runs); run++) {
    const jobId = randomUUID();
    const workflowId = jobWorkflowId('import', jobId);
    // Through the Job module, as the API and the worker would: the steps check the job is running.
    await createJob(db, { id: jobId, kind: 'import', by: systemAttribution('import-steps benchmark') });
    await startJob(db.pool, jobId);
    const env = new MockActivityEnvironment({ workflowExecution: { workflowId, runId: jobId } });
    console.log(`run ${run}: ${run === 1 ? 'first import' : 'unchanged re-import'}`);
    const started = performance.now();
    const staged: { rowsValid: number } = await timed('stage', () =>
      env.run(activities.stage, {
        jobId,
        filePath: fileName,
        fileSize,
        delimiter: ',',
        chunkRows,
        parallelism,
        columns: { sku: 0, name: 1, description: 2, price: 3, active: 4 },
      }),
    );
    const plan: { chunks: number; distinctRows: number } = await timed('plan', () =>
      env.run(activities.plan, { jobId, chunkRows, expectedValidRows: staged.rowsValid }),
    );
    const totals = { inserted: 0, updated: 0, unchanged: 0 };
    await timed('apply', async () => {
      const queue = Array.from({ length: plan.chunks }, (_, chunkNo) => chunkNo);
      const runner = async () => {
        for (let chunkNo = queue.shift(); chunkNo !== undefined; chunkNo = queue.shift()) {
          const expectedRows = Math.min(chunkRows, plan.distinctRows - chunkNo * chunkRows);
          const applied: typeof totals = await env.run(activities.apply, { jobId, chunkNo, expectedRows });
          totals.inserted += applied.inserted;
          totals.updated += applied.updated;
          totals.unchanged += applied.unchanged;
        }
      };
      await Promise.all(Array.from({ length: parallelism }, runner));
    });
    // What finalize does to the catalog: the search indexes plan may have dropped are built again.
    await timed('indexes', async () => {
      const client = await db.pool.connect();
      try {
        await client.query('begin');
        await ensureSearchIndexes(client);
        await client.query('commit');
      } finally {
        client.release();
      }
    });
    // Finalize drops the working tables; a later run must not find them in its way (or its caches).
    const tables = importTables(jobId);
    await db.pool.query(`drop table if exists ${tables.staged}, ${tables.final}`);
    console.log(
      `  total    ${((performance.now() - started) / 1000).toFixed(2)} s: inserted ${totals.inserted}, ` +
        `updated ${totals.updated}, unchanged ${totals.unchanged}`,
    );
  }
} finally {
  await db.close();
  await database.drop();
  await rm(work, { recursive: true, force: true });
}
