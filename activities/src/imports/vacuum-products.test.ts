import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from '@catalog/db';
import pino from 'pino';
import { VACUUM_MIN_WRITTEN_ROWS, vacuumProducts, vacuumsAfterImport } from './vacuum-products';

test('only an import that wrote many rows is followed by a vacuum', () => {
  assert.equal(vacuumsAfterImport({ inserted: VACUUM_MIN_WRITTEN_ROWS - 1, updated: 0 }), false);
  assert.equal(
    vacuumsAfterImport({ inserted: VACUUM_MIN_WRITTEN_ROWS / 2, updated: VACUUM_MIN_WRITTEN_ROWS / 2 }),
    true,
  );
});

test('a vacuum that fails is logged, never raised: the import has landed', async () => {
  // Failure injection: a pool whose every query fails as a lost connection would.
  const failing = { pool: { query: () => Promise.reject(new Error('connection terminated')) } } as unknown as Database;
  const lines: { level: number; msg: string; jobId: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  await vacuumProducts(failing, logger, 'job-1');
  assert.deepEqual(
    lines.map(({ level, msg, jobId }) => ({ level, msg, jobId })),
    [{ level: 40, msg: 'vacuum after import failed; autovacuum will catch up', jobId: 'job-1' }],
  );
});
