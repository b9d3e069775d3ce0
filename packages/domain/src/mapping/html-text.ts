import { z } from 'zod';

/** What happens to HTML in a description (Shopify's `Body (HTML)`, WooCommerce's `Description`). */
export const descriptionFormatSchema = z.enum(['keep', 'text'], { message: 'must be keep or text' });
export type DescriptionFormat = z.infer<typeof descriptionFormatSchema>;

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  copy: '©',
  reg: '®',
  trade: '™',
  euro: '€',
  laquo: '«',
  raquo: '»',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  bull: '•',
  deg: '°',
  times: '×',
};

// Elements whose end (or the element itself) is a line break in the text.
const BLOCK_END = /<\/(?:p|div|h[1-6]|li|tr|blockquote|pre|section|article|ul|ol|table)\s*>|<br\s*\/?>|<hr\s*\/?>/gi;
const DROPPED = /<(script|style|template)\b[^>]*>[\s\S]*?<\/\1\s*>|<!--[\s\S]*?-->/gi;
const TAG = /<\/?[A-Za-z][^>]*>/g;
const ENTITY = /&(#x[0-9a-f]+|#\d+|[a-z]+);/gi;

/**
 * Plain text from a description's HTML: block ends and <br> become line breaks, list items a
 * bullet, other tags go, character references are decoded, runs of blank lines collapse. Cheap
 * and good enough for product copy; it is not a sanitizer (the catalog stores text, not markup).
 */
export function htmlToText(html: string): string {
  if (!html.includes('<') && !html.includes('&')) return html;
  return html
    .replace(DROPPED, '')
    .replace(/<li\b[^>]*>/gi, '• ')
    .replace(BLOCK_END, '\n')
    .replace(TAG, '')
    .replace(ENTITY, (match, entity: string) => decodeEntity(entity) ?? match)
    .replace(/[ \t\u00a0]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function decodeEntity(entity: string): string | undefined {
  if (entity[0] !== '#') return NAMED_ENTITIES[entity.toLowerCase()];
  const code = entity[1] === 'x' || entity[1] === 'X' ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1));
  // NUL cannot be stored in PostgreSQL text, and lone surrogates are not characters.
  if (!Number.isInteger(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
  return String.fromCodePoint(code);
}

/** Whether sample values hold markup, for the suggestion's reason. */
export const looksLikeHtml = (samples: readonly string[]): boolean =>
  samples.some((sample) => /<\/?[a-z][a-z0-9]*\b[^>]*>/i.test(sample));
