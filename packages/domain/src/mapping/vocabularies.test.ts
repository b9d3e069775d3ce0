import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ActiveVocabulary, readActive, vocabularyOf } from './vocabularies';

const cases: [ActiveVocabulary, string[], string[]][] = [
  ['true_false', ['true', 'TRUE', ' True '], ['false', 'FALSE']],
  ['yes_no', ['yes', 'YES'], ['no', 'No']],
  ['y_n', ['y', 'Y'], ['n', 'N']],
  ['one_zero', ['1'], ['0']],
  ['status', ['active', 'Active'], ['draft', 'archived', 'ARCHIVED']],
  ['published', ['published', 'publish'], ['private', 'draft', 'pending']],
  ['visible_hidden', ['visible'], ['hidden']],
  ['woo_published', ['1'], ['0', '-1', '2']],
  ['magento_online', ['1'], ['2']],
];

for (const [vocabulary, on, off] of cases) {
  test(`active vocabulary ${vocabulary}: its words, blank = active, anything else is a problem naming the words`, () => {
    for (const word of on) assert.equal(readActive(word, vocabulary), true, word);
    for (const word of off) assert.equal(readActive(word, vocabulary), false, word);
    assert.equal(readActive('  ', vocabulary), true);
    const problem = readActive('maybe', vocabulary);
    assert.ok(typeof problem === 'object' && problem.reason.startsWith('active "maybe" is not one of'));
  });
}

test('a vocabulary is never mixed: a status column does not take yes/no', () => {
  assert.equal(typeof readActive('yes', 'status'), 'object');
  assert.equal(typeof readActive('true', 'woo_published'), 'object');
});

test('sample values reveal the vocabulary they fit, the plainest first', () => {
  assert.equal(vocabularyOf(['active', 'draft', '']), 'status');
  assert.equal(vocabularyOf(['TRUE', 'FALSE']), 'true_false');
  assert.equal(vocabularyOf(['1', '0']), 'one_zero');
  assert.equal(vocabularyOf(['1', '-1', '0']), 'woo_published');
  assert.equal(vocabularyOf(['1', '2']), 'magento_online');
  assert.equal(vocabularyOf(['visible', 'hidden']), 'visible_hidden');
  assert.equal(vocabularyOf(['Red', 'Blue']), null);
  assert.equal(vocabularyOf([]), null);
});
