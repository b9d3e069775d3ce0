import { z } from 'zod';

/**
 * A header as auto-match and presets compare it: lower case, every run of punctuation or spaces as
 * one space. "Body (HTML)" → "body html", "item_sku" → "item sku", "Is featured?" → "is featured".
 */
export function normalizeHeader(header: string): string {
  return header
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The text a file's header signature is the hash of: its normalised headers in order. */
export function headerSignatureText(headers: readonly string[]): string {
  return headers.map(normalizeHeader).join('\n');
}

/** A file's header line as stored with its upload or preset. */
export const headerListSchema = z.array(z.string());
