import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRetryAfter } from './http-post';
import { judge } from './verdict';

const answer = (statusCode: number, retryAfterMs: number | null = null) =>
  judge({ kind: 'response', statusCode, latencyMs: 5, snippet: '', retryAfterMs });

test('2xx is delivered; 408, 429, 5xx and network failures are retried; other answers are final', () => {
  for (const status of [200, 201, 204, 299]) assert.equal(answer(status).kind, 'delivered', String(status));
  for (const status of [408, 429, 500, 502, 503, 504]) assert.equal(answer(status).kind, 'retry', String(status));
  for (const status of [301, 302, 400, 401, 403, 404, 410, 422])
    assert.equal(answer(status).kind, 'reject', String(status));
  assert.equal(judge({ kind: 'network', latencyMs: 10, error: 'ECONNRESET' }).kind, 'retry');
  assert.equal(judge({ kind: 'refused', latencyMs: 0, error: 'private' }).kind, 'reject');
});

test('Retry-After is honoured for 429 and 503, within a bound', () => {
  assert.deepEqual(answer(429, 3_000), {
    kind: 'retry',
    reason: 'the receiver answered HTTP 429',
    retryAfterMs: 3_000,
  });
  assert.deepEqual(answer(503, 5_000), {
    kind: 'retry',
    reason: 'the receiver answered HTTP 503',
    retryAfterMs: 5_000,
  });
  assert.deepEqual(answer(429, 48 * 3_600_000), {
    kind: 'retry',
    reason: 'the receiver answered HTTP 429',
    retryAfterMs: 6 * 3_600_000,
  });
  assert.deepEqual(answer(500, 3_000), { kind: 'retry', reason: 'the receiver answered HTTP 500', retryAfterMs: null });
});

test('Retry-After is read as seconds or as an HTTP date', () => {
  const now = Date.parse('2026-11-22T10:00:00Z');
  assert.equal(parseRetryAfter('120', now), 120_000);
  assert.equal(parseRetryAfter('Sun, 22 Nov 2026 10:00:30 GMT', now), 30_000);
  assert.equal(parseRetryAfter('Sun, 22 Nov 2026 09:00:00 GMT', now), 0);
  assert.equal(parseRetryAfter('soon', now), null);
  assert.equal(parseRetryAfter(undefined, now), null);
});
