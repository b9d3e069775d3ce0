import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

const DUPLICATE_EVERY = 50;

/**
 * A deterministic catalog CSV: the same `rows` and `seed` always give the same bytes. Every 50th
 * row repeats an earlier row's SKU in upper case (so last-row-wins has work to do, and the number
 * of distinct SKUs is exact); text has quotes, commas and non-ASCII characters, like real exports.
 */
export async function writeCatalogCsv(
  path: string,
  rows: number,
  seed = 42,
): Promise<{ bytes: number; distinctSkus: number }> {
  const random = mulberry32(seed);
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  const words = [
    'Steel',
    'Oak',
    'Café',
    'Ultra',
    'Mini',
    'Pro',
    'Eco',
    'Größe',
    'Nordic',
    'Classic',
    'Smart',
    'Vintage',
  ];
  const nouns = ['Chair', 'Lamp', 'Table', 'Mug', 'Shelf', 'Desk', 'Kettle', 'Rug', 'Clock', 'Vase'];
  const pick = (list: string[]) => list[Math.floor(random() * list.length)] ?? '';
  let buffer = 'sku,name,description,price,active\n';
  let bytes = 0;
  let duplicates = 0;
  for (let i = 0; i < rows; i++) {
    const duplicate = i > 0 && i % DUPLICATE_EVERY === 0;
    const earlier = Math.floor(random() * i);
    const index = duplicate ? (earlier % DUPLICATE_EVERY === 0 ? earlier + 1 : earlier) : i;
    if (duplicate) duplicates++;
    const sku = duplicate ? `sku-${index.toString(36)}`.toUpperCase() : `sku-${index.toString(36)}`;
    const name = `${pick(words)} ${pick(nouns)} ${index}`;
    const description = `"${pick(words)}, ${pick(words).toLowerCase()} and ""${pick(nouns).toLowerCase()}"" — item ${index}"`;
    const price = (random() * 1000).toFixed(2);
    const active = random() < 0.9 ? 'true' : 'false';
    buffer += `${sku},${name},${description},${price},${active}\n`;
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

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
