import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { vocabulary } from './catalog-vocabulary';

const DUPLICATE_EVERY = 50;
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/**
 * A deterministic catalog CSV: the same `rows` and `seed` always give the same bytes. Names (2–5
 * words) and descriptions (10–200 words, most short) come from a Zipf-distributed vocabulary
 * (catalog-vocabulary.ts), with case variants; SKUs come in three real formats (`ABC-12345`,
 * `12345678`, `ab_12-x`), each unique by construction. Every 50th row repeats an earlier row's SKU
 * in upper case (so last-row-wins has work to do, and the number of distinct SKUs is exact); some
 * products have no price; text has quotes and commas, like real exports.
 */
export async function writeCatalogCsv(
  path: string,
  rows: number,
  seed = 42,
): Promise<{ bytes: number; distinctSkus: number }> {
  const random = mulberry32(seed);
  const words = vocabulary(mulberry32(seed + 1));
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  let buffer = 'sku,name,description,price,active\n';
  let bytes = 0;
  let duplicates = 0;
  for (let i = 0; i < rows; i++) {
    const duplicate = i > 0 && i % DUPLICATE_EVERY === 0;
    const earlier = Math.floor(random() * i);
    const index = duplicate ? (earlier % DUPLICATE_EVERY === 0 ? earlier + 1 : earlier) : i;
    if (duplicate) duplicates++;
    const sku = duplicate ? skuOf(index).toUpperCase() : skuOf(index);
    const name = phrase(words.draw, 2 + Math.floor(random() * 4), random);
    const description = phrase(words.draw, 10 + Math.floor(random() ** 3 * 191), random);
    const price = random() < 0.03 ? '' : (random() * 1000).toFixed(2);
    const active = random() < 0.9 ? 'true' : 'false';
    buffer += `${sku},${quoted(name)},${quoted(description)},${price},${active}\n`;
    if (buffer.length > 1 << 20) {
      bytes += Buffer.byteLength(buffer);
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  bytes += Buffer.byteLength(buffer);
  out.end(buffer);
  await once(out, 'finish');
  return { bytes, distinctSkus: rows - duplicates };
}

/** Six in ten `ABC-12345`, three in ten `12345678`, one in ten `ab_12-x`; injective in `index`. */
function skuOf(index: number): string {
  const format = index % 10;
  if (format < 6) {
    const letters = base26(index % 17_576, 3).toUpperCase();
    return `${letters}-${String(Math.floor(index / 17_576)).padStart(5, '0')}`;
  }
  if (format < 9) return String((index * 7_919 + 10_000_000) % 100_000_000).padStart(8, '0');
  return `${base26(index % 676, 2)}_${Math.floor(index / 676)}-${LETTERS[index % 26]}`;
}

function base26(value: number, width: number): string {
  let text = '';
  for (let rest = value, i = 0; i < width; i++, rest = Math.floor(rest / 26)) text = LETTERS[rest % 26] + text;
  return text;
}

/** Words joined by spaces, the first capitalized; one phrase in twenty shouts, one in ten has a comma or quotes. */
function phrase(draw: () => string, count: number, random: () => number): string {
  const parts = Array.from({ length: count }, draw);
  const roll = random();
  let text = parts.join(' ');
  text = roll < 0.05 ? text.toUpperCase() : text.charAt(0).toUpperCase() + text.slice(1);
  if (roll > 0.95) text = `${text}, "${parts[0]}" edition`;
  else if (roll > 0.9) text = `${parts[0]}, ${text}`;
  return text;
}

const quoted = (text: string) => `"${text.replace(/"/g, '""')}"`;

export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
