import { z } from 'zod';

/**
 * How a file writes its prices: the decimal separator and the thousands separator ('' = none).
 * Chosen once for the column, never guessed row by row: "1.234" is a thousand and more in one
 * locale and one and a quarter in another. Currency symbols and ISO codes around the number are
 * always dropped (`1.234,50 €`, `$1,299.00`, `15.00 USD`).
 */
export const numberFormatSchema = z
  .object({
    decimal: z.enum(['.', ','], { message: 'must be "." or ","' }),
    thousands: z.enum(['', ',', '.', ' ', "'"], { message: `must be "", ",", ".", " " or "'"` }),
  })
  .strict()
  .refine((format) => format.decimal !== format.thousands, {
    message: 'the decimal and thousands separators must differ',
  });
export type NumberFormat = z.infer<typeof numberFormatSchema>;

export const PLAIN_NUMBERS: NumberFormat = { decimal: '.', thousands: '' };

// Any currency sign (\p{Sc}), or three letters (an ISO 4217 code) at either end, with the spaces around it.
const CURRENCY = /^(?:\p{Sc}|[A-Za-z]{3}(?![A-Za-z]))\s*|\s*(?:\p{Sc}|(?<![A-Za-z])[A-Za-z]{3})$/u;
const BARE_NUMBER = /^\d+(?:[.,]\d+)?$/;
// Spaces a spreadsheet or locale puts in numbers: space, no-break space, narrow no-break space.
const SPACES = /[\s\u00a0\u202f]/g;

/** The number as `1234.50` (our catalog's form, checked by checkPrice), or null when it is not one in this format. */
export function readPrice(raw: string, format: NumberFormat): string | null {
  let text = raw.trim();
  if (text === '') return '';
  // Most cells are bare numbers: read them without the regular expressions below (staging runs this per row).
  if (BARE_NUMBER.test(text)) {
    const separator = text.search(/[.,]/);
    if (separator < 0) return text;
    if (text[separator] === format.decimal) return format.decimal === '.' ? text : text.replace(',', '.');
  }
  // A sign or code may sit on either side, at most once each.
  text = text.replace(CURRENCY, '').replace(CURRENCY, '');
  const spaced = format.thousands === ' ';
  text = spaced ? text.replace(SPACES, '\u0020').trim() : text.replace(SPACES, '');
  const separator = format.thousands;
  const [whole = '', fraction, extra] = text.split(format.decimal);
  if (extra !== undefined) return null;
  if (fraction !== undefined && !/^\d+$/.test(fraction)) return null;
  let digits = whole;
  if (separator !== '' && whole.includes(separator)) {
    const groups = whole.split(separator);
    const [first = '', ...rest] = groups;
    if (!/^\d{1,3}$/.test(first) || !rest.every((group) => /^\d{3}$/.test(group))) return null;
    digits = groups.join('');
  }
  if (!/^\d+$/.test(digits)) return null;
  return fraction === undefined ? digits : `${digits}.${fraction}`;
}

/**
 * The format a column's sample prices are written in, for the suggestion: the separator that
 * comes last is the decimal one when both appear; a lone comma followed by one or two digits is
 * decimal; otherwise plain numbers.
 */
export function guessNumberFormat(samples: readonly string[]): NumberFormat {
  let comma = 0;
  let dot = 0;
  for (const sample of samples) {
    const text = sample.replace(CURRENCY, '').replace(CURRENCY, '').trim();
    const lastComma = text.lastIndexOf(',');
    const lastDot = text.lastIndexOf('.');
    if (lastComma >= 0 && lastDot >= 0) {
      if (lastComma > lastDot) comma++;
      else dot++;
    } else if (lastComma >= 0 && /,\d{1,2}$/.test(text)) comma++;
    else if (lastDot >= 0 && /\.\d{1,2}$/.test(text)) dot++;
  }
  if (comma > dot) return { decimal: ',', thousands: samples.some((s) => /\d\.\d{3}(?!\d)/.test(s)) ? '.' : '' };
  const thousandsComma = samples.some((s) => /\d,\d{3}(?!\d)/.test(s));
  return { decimal: '.', thousands: thousandsComma ? ',' : '' };
}

/** Whether a sample reads as a price in the format (blank samples say nothing). */
export function looksLikePrices(samples: readonly string[], format: NumberFormat): boolean {
  const filled = samples.filter((sample) => sample.trim() !== '');
  return filled.length > 0 && filled.every((sample) => readPrice(sample, format) !== null);
}
