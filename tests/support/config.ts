import { randomUUID } from 'node:crypto';
import { type Config, loadConfig } from '@catalog/domain';

/**
 * The configuration `npm test` prepared (database, Temporal, Redis on their own ports), with a
 * task queue of the test's own so workers of parallel tests never steal each other's tasks.
 */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    LOG_LEVEL: 'warn',
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    TEMPORAL_TASK_QUEUE: `test-${randomUUID()}`,
    // Every test signs in from 127.0.0.1 and the count is shared through Redis by all test files;
    // the limit's own tests set it low and send their own X-Forwarded-For.
    SIGN_IN_MAX_FAILURES_PER_ADDRESS: '100000',
    ...overrides,
  });
}
