import assert from 'node:assert/strict';
import { test } from 'node:test';
import { guessNumberFormat, looksLikePrices, readPrice } from './number-format';

test('prices with currency signs, ISO codes, thousands separators and decimal commas, by an explicit format', () => {
  assert.equal(readPrice('1.234,50 €', { decimal: ',', thousands: '.' }), '1234.50');
  assert.equal(readPrice('$1,299.00', { decimal: '.', thousands: ',' }), '1299.00');
  assert.equal(readPrice('15.00 USD', { decimal: '.', thousands: '' }), '15.00');
  assert.equal(readPrice('EUR 12,5', { decimal: ',', thousands: '' }), '12.5');
  assert.equal(readPrice('£7', { decimal: '.', thousands: '' }), '7');
  assert.equal(readPrice('1 234,50', { decimal: ',', thousands: ' ' }), '1234.50');
  assert.equal(readPrice('1\u202f234,50\u00a0€', { decimal: ',', thousands: ' ' }), '1234.50');
  assert.equal(readPrice("CHF 1'234.50", { decimal: '.', thousands: "'" }), '1234.50');
  assert.equal(readPrice('', { decimal: ',', thousands: '.' }), '');
});

test('a price that does not fit the chosen format is refused, never reinterpreted', () => {
  assert.equal(readPrice('1,299.00', { decimal: ',', thousands: '.' }), null);
  assert.equal(readPrice('1.234,50', { decimal: '.', thousands: ',' }), null);
  assert.equal(readPrice('12,50', { decimal: '.', thousands: '' }), null);
  assert.equal(readPrice('1,23,4.00', { decimal: '.', thousands: ',' }), null);
  assert.equal(readPrice('-5.00', { decimal: '.', thousands: '' }), null);
  assert.equal(readPrice('abc', { decimal: '.', thousands: '' }), null);
  assert.equal(readPrice('1.2.3', { decimal: '.', thousands: '' }), null);
});

test('the suggestion reads a column of samples once', () => {
  assert.deepEqual(guessNumberFormat(['1.234,50 €', '9,99 €']), { decimal: ',', thousands: '.' });
  assert.deepEqual(guessNumberFormat(['18,00', '45,00']), { decimal: ',', thousands: '' });
  assert.deepEqual(guessNumberFormat(['$1,299.00', '$5.00']), { decimal: '.', thousands: ',' });
  assert.deepEqual(guessNumberFormat(['15.00 USD']), { decimal: '.', thousands: '' });
  assert.deepEqual(guessNumberFormat(['12', '7']), { decimal: '.', thousands: '' });
  assert.equal(looksLikePrices(['19.99', '', '5'], { decimal: '.', thousands: '' }), true);
  assert.equal(looksLikePrices(['Red'], { decimal: '.', thousands: '' }), false);
});
