/**
 * A node:test reporter that counts leaf tests (suites and tests with subtests are containers, not
 * tests) and writes `{passed, failed, skipped}` as JSON to its destination, from which the launcher
 * prints the run's last line. `skip` and `todo` count as skipped whatever their outcome.
 */
const empty = () => ({ count: 0, failed: 0 });

export function createTally() {
  const totals = { passed: 0, failed: 0, skipped: 0 };
  // Leaves reported below the test still open at each nesting level: node:test reports children before parents.
  const below = [];

  function record(event) {
    const { nesting, skip, todo, details } = event.data;
    const failed = event.type === 'test:fail';
    const kids = below[nesting] ?? empty();
    below[nesting] = empty();
    const own = empty();
    if (kids.count === 0 && details?.type !== 'suite') {
      own.count = 1;
      if (skip !== undefined || todo !== undefined) totals.skipped += 1;
      else if (failed) {
        totals.failed += 1;
        own.failed = 1;
      } else totals.passed += 1;
    } else if (failed && kids.failed === 0) {
      // A container failing on its own (a hook, an error outside its children) must not vanish.
      totals.failed += 1;
      own.failed = 1;
    }
    if (nesting > 0) {
      const parent = below[nesting - 1] ?? empty();
      below[nesting - 1] = {
        count: parent.count + kids.count + own.count,
        failed: parent.failed + kids.failed + own.failed,
      };
    }
  }

  return { record, totals };
}

export function formatSummary({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
}

export default async function* countReporter(source) {
  const tally = createTally();
  for await (const event of source) {
    if (event.type === 'test:pass' || event.type === 'test:fail') tally.record(event);
  }
  yield `${JSON.stringify(tally.totals)}\n`;
}
