import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WebhookEndpointView } from '../api/webhooks';
import {
  defaultRecoverSince,
  describeOrder,
  describeRateLimit,
  endpointStatus,
  fromDateTimeLocal,
  parseRateLimit,
  toDateTimeLocal,
} from './webhookLanes';

const endpoint: WebhookEndpointView = {
  id: 'e1',
  name: 'Shop',
  url: 'https://example.com/hook',
  events: 'all',
  enabled: true,
  disabledReason: null,
  failingSince: null,
  lastDelivery: null,
  previousSecretExpiresAt: null,
  rateLimitPerSecond: null,
  ordered: false,
  state: 'active',
  circuit: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

test('the status is the lane state; failing shows while active; paused is the circuit breaker', () => {
  assert.equal(endpointStatus({ ...endpoint, state: 'active' }).key, 'active');
  assert.equal(endpointStatus({ ...endpoint, state: 'active', failingSince: '2026-01-01T00:00:00Z' }).key, 'failing');
  const paused = endpointStatus({
    ...endpoint,
    state: 'paused',
    circuit: { openedAt: '2026-01-01T00:00:00Z', nextProbeAt: '2026-01-01T00:01:00Z' },
  });
  assert.deepEqual(paused, { key: 'paused', label: 'Paused by circuit breaker', badge: 'badge--failed' });
  assert.equal(endpointStatus({ ...endpoint, enabled: false, state: 'disabled' }).label, 'Disabled');
});

test('rate limit and order are described in words', () => {
  assert.equal(describeRateLimit(null), 'No rate limit');
  assert.equal(describeRateLimit(2500), 'Up to 2,500 a second');
  assert.equal(describeOrder(true), 'In order');
  assert.equal(describeOrder(false), 'Any order');
});

test('the rate limit field takes empty (no limit) or a whole number from 1 to 10,000', () => {
  assert.deepEqual(parseRateLimit(''), { ok: true, value: null });
  assert.deepEqual(parseRateLimit('  '), { ok: true, value: null });
  assert.deepEqual(parseRateLimit(' 50 '), { ok: true, value: 50 });
  assert.deepEqual(parseRateLimit('10000'), { ok: true, value: 10_000 });
  for (const bad of ['0', '-1', '1.5', '10001', 'fast']) assert.equal(parseRateLimit(bad).ok, false, bad);
});

test('datetime-local values round-trip in local time; recover defaults to 24 hours ago', () => {
  const at = new Date(2026, 2, 5, 7, 9);
  assert.equal(toDateTimeLocal(at), '2026-03-05T07:09');
  assert.equal(fromDateTimeLocal('2026-03-05T07:09'), at.toISOString());
  assert.equal(fromDateTimeLocal(''), null);
  assert.equal(fromDateTimeLocal('yesterday'), null);
  assert.equal(defaultRecoverSince(new Date(2026, 2, 5, 7, 9)), '2026-03-04T07:09');
});
