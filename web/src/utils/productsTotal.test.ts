import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exactPageCount, formatPagePosition, formatTotal, roundEstimate } from './productsTotal';

test('an exact total is shown as it is, a capped one with "+", an estimate rounded with "about"', () => {
  assert.equal(formatTotal({ total: 47_123, totalRelation: 'eq' }), '47,123');
  assert.equal(formatTotal({ total: 10_000, totalRelation: 'gte' }), '10,000+');
  assert.equal(formatTotal({ total: 47_312, totalRelation: 'about' }), 'about 47,000');
});

test('estimates keep two significant digits; small ones stay exact', () => {
  assert.equal(roundEstimate(0), 0);
  assert.equal(roundEstimate(42), 42);
  assert.equal(roundEstimate(947), 950);
  assert.equal(roundEstimate(1_049), 1_000);
  assert.equal(roundEstimate(4_987_654), 5_000_000);
});

test('the page count is given only when the total is exact', () => {
  assert.equal(exactPageCount({ total: 121, totalRelation: 'eq' }, 50), 3);
  assert.equal(exactPageCount({ total: 0, totalRelation: 'eq' }, 50), 1);
  assert.equal(exactPageCount({ total: 47_000, totalRelation: 'about' }, 50), null);
  assert.equal(exactPageCount({ total: 10_000, totalRelation: 'gte' }, 50), null);
  assert.equal(formatPagePosition({ total: 121, totalRelation: 'eq' }, 3, 50), 'page 3 of 3');
  assert.equal(formatPagePosition({ total: 47_000, totalRelation: 'about' }, 3, 50), 'page 3 of about 940');
  assert.equal(formatPagePosition({ total: 10_000, totalRelation: 'gte' }, 3, 50), 'page 3');
  assert.equal(formatPagePosition({ total: 300, totalRelation: 'about' }, 9, 50), 'page 9 of about 9');
});
