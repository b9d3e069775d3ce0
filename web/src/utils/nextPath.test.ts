import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextPath } from './nextPath';

test('next keeps a path of this app, with its query', () => {
  assert.equal(nextPath('/products?sku=a'), '/products?sku=a');
  assert.equal(nextPath('/'), '/');
});

test('next never leads to another origin, and anything else falls back to the start page', () => {
  for (const next of [
    '//evil.example/x',
    '/\\evil.example',
    'https://evil.example',
    'javascript:alert(1)',
    '',
    undefined,
    ['/a'],
  ]) {
    assert.equal(nextPath(next), '/', String(next));
  }
});
