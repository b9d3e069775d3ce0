import { z } from 'zod';

/**
 * The words an `active` column may use, one vocabulary per file (chosen, never guessed row by row).
 * Each maps a lower-cased, trimmed cell to active or not; a blank cell means active, as today.
 */
export const ACTIVE_VOCABULARIES = {
  true_false: { label: 'true/false', words: { true: true, false: false } },
  yes_no: { label: 'yes/no', words: { yes: true, no: false } },
  y_n: { label: 'y/n', words: { y: true, n: false } },
  one_zero: { label: '1/0', words: { '1': true, '0': false } },
  status: { label: 'active/draft/archived', words: { active: true, draft: false, archived: false } },
  published: {
    label: 'published/private/draft',
    words: { published: true, publish: true, private: false, draft: false, pending: false },
  },
  visible_hidden: { label: 'visible/hidden', words: { visible: true, hidden: false } },
  // Magento's product_online: 1 enabled, 2 disabled.
  magento_online: { label: 'Magento product_online 1/2', words: { '1': true, '2': false } },
  // WooCommerce's exporter writes 1 (published), 0 (private), -1 (draft) and 2 (pending review).
  woo_published: { label: 'WooCommerce Published 1/0/-1', words: { '1': true, '0': false, '-1': false, '2': false } },
} as const satisfies Record<string, { label: string; words: Record<string, boolean> }>;

export type ActiveVocabulary = keyof typeof ACTIVE_VOCABULARIES;
export const activeVocabularyNames = Object.keys(ACTIVE_VOCABULARIES) as [ActiveVocabulary, ...ActiveVocabulary[]];
export const activeVocabularySchema = z.enum(activeVocabularyNames, {
  message: `must be one of ${activeVocabularyNames.join(', ')}`,
});

const wordsOf = (vocabulary: ActiveVocabulary): Readonly<Record<string, boolean>> =>
  ACTIVE_VOCABULARIES[vocabulary].words;

/** true/false for a word of the vocabulary (blank = active), or a reason naming the words it takes. */
export function readActive(raw: string, vocabulary: ActiveVocabulary): boolean | { reason: string } {
  const word = raw.trim().toLowerCase();
  if (word === '') return true;
  const value = wordsOf(vocabulary)[word];
  if (value !== undefined) return value;
  return { reason: `active "${raw}" is not one of ${ACTIVE_VOCABULARIES[vocabulary].label}` };
}

/**
 * The vocabulary a column's sample values fit, the most specific first (a column of 1/0 fits both
 * 1/0 and WooCommerce's, and 1/0 is the plainer reading); null when the samples fit none.
 */
export function vocabularyOf(samples: readonly string[]): ActiveVocabulary | null {
  const words = samples.map((sample) => sample.trim().toLowerCase()).filter((word) => word !== '');
  if (words.length === 0) return null;
  for (const vocabulary of activeVocabularyNames) {
    const known = wordsOf(vocabulary);
    if (words.every((word) => word in known)) return vocabulary;
  }
  return null;
}
