import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MarkSet, RefreshResult } from '@catalog/db';
import pino from 'pino';
import { createSortMarksRefresher } from './sort-marks-refresher';

type Line = { level: number; msg: string; sortMarks: string; outcome?: string };

/** A refresher whose builds wait to be released, on a clock the test moves. */
function harness() {
  const lines: Line[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const builds: { set: MarkSet; finish: (result: RefreshResult | Error) => void }[] = [];
  let clock = 1_000_000;
  const refresher = createSortMarksRefresher({
    logger,
    minIntervalMs: 10_000,
    now: () => clock,
    rebuild: (set) =>
      new Promise<RefreshResult>((resolve, reject) => {
        builds.push({ set, finish: (result) => (result instanceof Error ? reject(result) : resolve(result)) });
      }),
  });
  const built: RefreshResult = { outcome: 'built', marks: 3, total: 3_000, ms: 5 };
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { lines, builds, refresher, built, settle, advance: (ms: number) => (clock += ms) };
}

const nameAll: MarkSet = { field: 'name', scope: 'all' };
const priceInactive: MarkSet = { field: 'price', scope: 'inactive' };

test('one build per set while it is pending or building, and one set at a time', async () => {
  const { builds, refresher, built, settle } = harness();
  refresher.request(nameAll);
  refresher.request(nameAll);
  refresher.request(priceInactive);
  await settle();
  assert.deepEqual(
    builds.map((b) => b.set),
    [nameAll],
    'the second set waits for the first build',
  );
  builds[0]?.finish(built);
  await settle();
  assert.deepEqual(
    builds.map((b) => b.set),
    [nameAll, priceInactive],
  );
  builds[1]?.finish(built);
  await refresher.close();
});

test('a set is rebuilt at most once per interval, and a failed build is logged, never thrown', async () => {
  const { lines, builds, refresher, built, settle, advance } = harness();
  refresher.request(nameAll);
  await settle();
  builds[0]?.finish(new Error('connection terminated'));
  await settle();
  refresher.request(nameAll);
  await settle();
  assert.equal(builds.length, 1, 'asked again within the interval: skipped');
  advance(10_000);
  refresher.request(nameAll);
  await settle();
  assert.equal(builds.length, 2, 'after the interval: rebuilt');
  builds[1]?.finish(built);
  await refresher.close();
  assert.deepEqual(
    lines.map(({ level, msg, sortMarks, outcome }) => ({ level, msg, sortMarks, outcome })),
    [
      { level: 40, msg: 'sort position marks rebuild failed', sortMarks: 'name/all', outcome: undefined },
      { level: 30, msg: 'sort position marks refreshed', sortMarks: 'name/all', outcome: 'built' },
    ],
  );
});

test('after close, requests are ignored and close waits for the build under way', async () => {
  const { builds, refresher, built, settle } = harness();
  refresher.request(nameAll);
  await settle();
  let closed = false;
  const closing = refresher.close().then(() => {
    closed = true;
  });
  refresher.request(priceInactive);
  await settle();
  assert.equal(closed, false);
  builds[0]?.finish(built);
  await closing;
  assert.equal(builds.length, 1);
});
