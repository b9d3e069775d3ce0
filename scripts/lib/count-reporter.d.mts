// Types of the plain-JS module next to this file (the launcher runs before TypeScript tooling is installed).
export type Totals = { passed: number; failed: number; skipped: number };
export type TestEvent = {
  type: 'test:pass' | 'test:fail';
  data: { nesting: number; skip?: string | boolean; todo?: string | boolean; details?: { type?: 'suite' | 'test' } };
};
export declare function createTally(): { record(event: TestEvent): void; totals: Totals };
export declare function formatSummary(totals: Totals): string;
export default function countReporter(source: AsyncIterable<TestEvent>): AsyncGenerator<string>;
