import assert from 'node:assert/strict';
import { test } from 'node:test';
import { messageFate } from './retry-schedule';

const retry = { kind: 'retry', reason: 'HTTP 500', retryAfterMs: null } as const;
const now = 1_000_000_000;

test('failed attempts wait 1 s, 2 s, 4 s … and at most 2 hours', () => {
  const waits = [1, 2, 3, 4, 14, 30].map((attempts) => {
    const fate = messageFate(retry, attempts, now, now);
    assert.equal(fate.state, 'pending');
    return fate.state === 'pending' ? fate.nextAttemptAt - now : -1;
  });
  assert.deepEqual(waits, [1_000, 2_000, 4_000, 8_000, 2 * 3_600_000, 2 * 3_600_000]);
});

test('Retry-After replaces the backoff', () => {
  assert.deepEqual(messageFate({ ...retry, retryAfterMs: 3_000 }, 1, now, now), {
    state: 'pending',
    nextAttemptAt: now + 3_000,
  });
});

test('a day after the first attempt a failing message is given up; a rejected one at once', () => {
  assert.deepEqual(messageFate(retry, 24, now - 24 * 3_600_000, now), { state: 'failed' });
  assert.deepEqual(messageFate({ kind: 'reject', reason: 'HTTP 400' }, 1, now, now), { state: 'failed' });
  assert.deepEqual(messageFate({ kind: 'delivered' }, 1, now, now), { state: 'delivered' });
});
