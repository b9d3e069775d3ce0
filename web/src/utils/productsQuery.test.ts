import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PRODUCT_PAGE_SIZE_DEFAULT, PRODUCT_PAGE_SIZE_MAX } from '@catalog/domain';
import { applyChange, PAGE_SIZE_OPTIONS, parseProductsQuery, toSearchParams } from './productsQuery';

const defaults = parseProductsQuery({});

test('the address round-trips: filters, sort, page size, page and cursor', () => {
  const address = { q: 'steel', active: 'false', sort: 'name:desc', pageSize: '100', page: '3', cursor: 'abc.def' };
  const state = parseProductsQuery(address);
  assert.deepEqual(state, {
    ...defaults,
    q: 'steel',
    active: 'inactive',
    sortField: 'name',
    sortDirection: 'desc',
    pageSize: 100,
    page: 3,
    cursor: 'abc.def',
  });
  assert.deepEqual(Object.fromEntries(toSearchParams(state)), address);
  assert.deepEqual(parseProductsQuery(Object.fromEntries(toSearchParams(state))), state);
});

test('defaults stay out of the address and unusable values fall back to them', () => {
  assert.equal(toSearchParams(defaults).toString(), '');
  const state = parseProductsQuery({
    sort: 'id:up',
    page: '-2',
    pageSize: String(PRODUCT_PAGE_SIZE_MAX + 1),
    cursor: '',
  });
  assert.deepEqual(state, defaults);
  assert.equal(defaults.pageSize, PRODUCT_PAGE_SIZE_DEFAULT);
  assert.equal(defaults.cursor, null);
  assert.equal(toSearchParams({ ...defaults, q: 'x', page: 4, cursor: 'c' }, { paging: false }).toString(), 'q=x');
});

test('every change drops the cursor unless it brings one; a new filter or sort starts at page 1', () => {
  const deep = { ...defaults, q: 'steel', page: 7, cursor: 'c7' };
  assert.deepEqual(applyChange(deep, { page: 8, cursor: 'c8' }), { ...deep, page: 8, cursor: 'c8' });
  assert.deepEqual(applyChange(deep, { page: 1 }), { ...deep, page: 1, cursor: null });
  assert.deepEqual(applyChange(deep, { name: 'bolt' }), { ...deep, name: 'bolt', page: 1, cursor: null });
  assert.deepEqual(applyChange(deep, { sortField: 'price', sortDirection: 'asc' }), {
    ...deep,
    sortField: 'price',
    page: 1,
    cursor: null,
  });
});

test('a new page size keeps the first row shown on the page shown', () => {
  const third = { ...defaults, page: 3, pageSize: 50, cursor: 'c3' };
  // Rows 101–150 were shown: with 25 a page, row 101 is on page 5; with 200, on page 1.
  assert.deepEqual(applyChange(third, { pageSize: 25 }), { ...third, pageSize: 25, page: 5, cursor: null });
  assert.deepEqual(applyChange(third, { pageSize: 200 }), { ...third, pageSize: 200, page: 1, cursor: null });
  assert.ok(PAGE_SIZE_OPTIONS.every((size) => size <= PRODUCT_PAGE_SIZE_MAX));
  assert.ok(PAGE_SIZE_OPTIONS.includes(PRODUCT_PAGE_SIZE_DEFAULT));
});
