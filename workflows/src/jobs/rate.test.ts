import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rate } from './rate';

test('the rate is the count since the last sample over the time since it', () => {
  const rate = new Rate(1_000);
  assert.equal(rate.sample(1_500, 100), 200);
  assert.equal(rate.sample(3_500, 300), 100);
});

test('no time passed (one workflow task): no rate, and the next sample measures from the earlier one', () => {
  const rate = new Rate(1_000);
  assert.equal(rate.sample(1_000, 50), null);
  assert.equal(rate.sample(2_000, 100), 100);
});

test('a restart measures from the new stage’s own count', () => {
  const rate = new Rate(0, 0);
  rate.sample(1_000, 5_000);
  rate.restart(1_000, 0);
  assert.equal(rate.sample(2_000, 400), 400);
});
