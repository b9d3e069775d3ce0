import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstRecords } from './csvRows';

test('quoted fields keep delimiters, doubled quotes and line breaks; CRLF and a byte order mark are read', () => {
  const text = '\ufeffsku;name\r\n"A-1";"Lamp; ""big""\r\nsecond line"\r\n\r\nB-2;Chair\r\n';
  assert.deepEqual(firstRecords(text, ';', 10), [
    ['sku', 'name'],
    ['A-1', 'Lamp; "big"\r\nsecond line'],
    ['B-2', 'Chair'],
  ]);
});

test('stops at the limit, and leaves out a record cut off by the end of a partial text', () => {
  assert.deepEqual(firstRecords('a,b\n1,2\n3,4\n', ',', 2), [
    ['a', 'b'],
    ['1', '2'],
  ]);
  assert.deepEqual(firstRecords('a,b\n1,2\n3,"cut', ',', 10), [
    ['a', 'b'],
    ['1', '2'],
  ]);
  assert.deepEqual(firstRecords('a,b\n1,2\n3,4', ',', 10), [
    ['a', 'b'],
    ['1', '2'],
  ]);
});

test('the whole file keeps its last record without a final line break', () => {
  assert.deepEqual(firstRecords('a\tb\n1\t2', '\t', 10, true), [
    ['a', 'b'],
    ['1', '2'],
  ]);
});
