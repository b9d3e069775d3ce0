import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

/**
 * Every statement on `jobs` lives in this folder (the Job module), so its guard cannot be bypassed
 * and "finished" is spelled once. Tests may still arrange states with raw SQL.
 */
const root = path.resolve(import.meta.dirname, '../../../..');
const scanned = ['api', 'activities', 'workflows', 'packages', 'scripts', 'bench'];
const allowed = [
  'packages/db/src/jobs/',
  'packages/db/src/migrations/',
  // The entity's definition and its registration with the ORM: no statement.
  'packages/db/src/entities/job.entity.ts',
  'packages/db/src/mikro-orm.config.ts',
];
const skippedDirs = new Set(['node_modules', 'dist', '.vite', 'coverage']);
const sourceFile = /\.(ts|mts|cts|mjs|cjs|js|vue)$/;
const testFile = /\.(test|spec)\.[a-z]+$/;

/** SQL touching the table (any whitespace, any case; not a path like `from jobs/x`) or the ORM addressing its entity. */
const jobsStatement = /\b(from|update|into|join)\s+jobs\b(?![./:-])|\bJob(Schema|Entity)\b/gi;

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skippedDirs.has(entry.name)) yield* sourceFiles(full);
    } else if (sourceFile.test(entry.name) && !testFile.test(entry.name)) {
      yield full;
    }
  }
}

/** `line: text` of each match of `jobsStatement` in `text`. */
export function jobsStatements(text: string): { line: number; match: string }[] {
  return [...text.matchAll(jobsStatement)].map((found) => ({
    line: text.slice(0, found.index).split('\n').length,
    match: found[0].replace(/\s+/g, ' '),
  }));
}

test('the matcher sees SQL on jobs in any spelling, and nothing else', () => {
  const sample = [
    'select status from jobs where id = $1',
    'UPDATE jobs SET status = $2',
    'insert into\n  jobs (id) values ($1)',
    'select * from import_errors t join jobs j on j.id = t.job_id',
    'delete from jobs where id = any($1)',
    'em.findOne(JobSchema, { id })',
    'select 1 from jobs_archive',
    'import { jobs } from "./x"; deps.jobs.create(job);',
  ].join('\n');
  assert.deepEqual(
    jobsStatements(sample).map(({ line }) => line),
    [1, 2, 3, 5, 6, 7],
  );
});

test('no source file outside the Job module holds a statement on jobs', () => {
  const strays: string[] = [];
  for (const dir of scanned) {
    for (const file of sourceFiles(path.join(root, dir))) {
      const relative = path.relative(root, file).split(path.sep).join('/');
      if (allowed.some((prefix) => relative.startsWith(prefix))) continue;
      for (const { line, match } of jobsStatements(readFileSync(file, 'utf8')))
        strays.push(`${relative}:${line}: ${match}`);
    }
  }
  assert.deepEqual(strays, [], `SQL on jobs belongs in packages/db/src/jobs/:\n${strays.join('\n')}`);
});
