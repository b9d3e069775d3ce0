import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from '@catalog/db';
import pino from 'pino';
import { refreshSortMarksAfterImport } from './sort-marks-after-import';

test('a sort position marks rebuild that fails is logged, never raised: the import has landed', async () => {
  // Failure injection: a pool that cannot hand out a connection, as when the database went away.
  const failing = {
    pool: { connect: () => Promise.reject(new Error('connection terminated')) },
  } as unknown as Database;
  const lines: { level: number; msg: string; jobId: string; sortMarks: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  await refreshSortMarksAfterImport(failing, logger, 'job-1');
  assert.equal(lines.length, 12, 'every sort and scope was tried');
  assert.ok(lines.every((line) => line.level === 40 && line.jobId === 'job-1'));
  assert.deepEqual(
    lines.slice(0, 3).map((line) => [line.msg, line.sortMarks]),
    [
      ['sort position marks rebuild after import failed', 'sku/all'],
      ['sort position marks rebuild after import failed', 'sku/active'],
      ['sort position marks rebuild after import failed', 'sku/inactive'],
    ],
  );
});
