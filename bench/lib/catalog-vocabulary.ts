/**
 * The words bench catalogs are written in: a fixed head of real catalog words, then thousands of
 * generated ones, drawn with Zipf-like frequencies (rank r ∝ 1/r^1.1), so a few words are in half
 * of all names, some in one in ten, and most in almost none, as in a real catalog.
 */
export const VOCABULARY_SIZE = 4_000;

const HEAD = [
  'steel',
  'classic',
  'cotton',
  'black',
  'shirt',
  'oak',
  'white',
  'large',
  'café',
  'lamp',
  'table',
  'chair',
  'organic',
  'größe',
  'nordic',
  'vintage',
  'kettle',
  'ceramic',
  'linen',
  'wool',
  'mini',
  'smart',
  'glass',
  'leather',
  'brass',
  'walnut',
  'velvet',
  'bamboo',
  'copper',
  'marble',
];
const ONSETS = [
  'b',
  'br',
  'c',
  'ch',
  'd',
  'f',
  'fl',
  'g',
  'gr',
  'h',
  'j',
  'k',
  'l',
  'm',
  'n',
  'p',
  'pr',
  'qu',
  'r',
  's',
  'sh',
  'st',
  't',
  'tr',
  'v',
  'w',
  'z',
];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'ou', 'é', 'ö'];
const CODAS = ['', '', 'n', 'r', 'l', 's', 'x', 'nd', 'rk', 'st'];

export type Vocabulary = { words: string[]; draw: () => string };

export function vocabulary(random: () => number): Vocabulary {
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)] as T;
  const seen = new Set(HEAD);
  const words = [...HEAD];
  while (words.length < VOCABULARY_SIZE) {
    const syllables = 2 + Math.floor(random() * 2);
    let word = '';
    for (let s = 0; s < syllables; s++) word += pick(ONSETS) + pick(VOWELS) + pick(CODAS);
    if (word.length >= 6 && !seen.has(word)) {
      seen.add(word);
      words.push(word);
    }
  }
  const cumulative: number[] = [];
  let sum = 0;
  for (let rank = 1; rank <= words.length; rank++) {
    sum += 1 / rank ** 1.1;
    cumulative.push(sum);
  }
  const draw = () => {
    const target = random() * sum;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((cumulative[middle] ?? sum) < target) low = middle + 1;
      else high = middle;
    }
    return words[low] ?? '';
  };
  return { words, draw };
}
