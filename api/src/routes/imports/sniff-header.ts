import { errors } from '@catalog/domain';
import type { UploadStore } from '@catalog/uploads';
import type { ColumnIndexes } from '@catalog/workflows';
import { parse } from 'csv-parse/sync';

export const SAMPLE_BYTES = 64 * 1024;
const DELIMITERS = [',', ';', '\t'] as const;
const KNOWN_COLUMNS = ['sku', 'name', 'description', 'price', 'active'] as const;
type KnownColumn = (typeof KNOWN_COLUMNS)[number];

export type SniffedHeader = { delimiter: string; columns: ColumnIndexes; ignoredColumns: string[] };

/** The first 64 KB of a stored upload, read as a ranged request (an S3 GET of just those bytes). */
export async function readSample(store: UploadStore, key: string, size: number): Promise<Buffer> {
  // A range on an empty object is an error in S3 (416), and there is nothing to read anyway.
  if (size === 0) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const chunk of await store.openRead(key, { start: 0, end: Math.min(size, SAMPLE_BYTES) - 1 })) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/**
 * Checks the start of an uploaded file before any job exists: not empty, not binary, UTF-8, and a
 * header line naming at least `sku` and `name` (case and spaces ignored). Finds the delimiter.
 */
export function sniffHeader(sample: Buffer): SniffedHeader {
  const { delimiter, names } = sniffHeaderLine(sample);
  return mapColumns(names, delimiter);
}

export type HeaderLine = { delimiter: string; names: string[]; text: string };

/**
 * The checks every upload passes, whatever reads it next: not empty, not binary, UTF-8, a header
 * line under 64 KB. Answers the delimiter, the header names, and the sample as text (BOM dropped).
 */
export function sniffHeaderLine(sample: Buffer): HeaderLine {
  if (sample.length === 0 || sample.toString('utf8').trim() === '') throw errors.badRequest('The file is empty.');
  if (sample.includes(0)) {
    throw errors.unsupportedMediaType(
      'This looks like a binary file, not a CSV. Export the sheet as CSV and upload it.',
    );
  }
  let text: string;
  try {
    // stream: true tolerates a character cut in half at the end of the sample.
    text = new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
  } catch {
    throw errors.unsupportedMediaType('The file is not UTF-8 text. Save it as "CSV UTF-8" and upload it again.');
  }
  const lineEnd = text.search(/\r?\n/);
  if (lineEnd === -1 && sample.length === SAMPLE_BYTES) {
    throw errors.badRequest('The first line is longer than 64 KB: this does not look like a CSV header line.');
  }
  const headerLine = (lineEnd === -1 ? text : text.slice(0, lineEnd)).replace(/^\uFEFF/, '');
  const delimiter = detectDelimiter(headerLine);
  const names = parseHeader(headerLine, delimiter);
  return { delimiter, names, text: text.replace(/^\uFEFF/, '') };
}

function detectDelimiter(line: string): string {
  const unquoted = line.replace(/"[^"]*"/g, '');
  let best: string = ',';
  let bestCount = 0;
  for (const delimiter of DELIMITERS) {
    const count = unquoted.split(delimiter).length - 1;
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  }
  return best;
}

function parseHeader(line: string, delimiter: string): string[] {
  try {
    const [names] = parse(line, { delimiter, relax_column_count: true }) as string[][];
    return names ?? [];
  } catch {
    throw errors.badRequest('The header line is not valid CSV (check its quotes).');
  }
}

const normalize = (name: string) => name.replace(/\s+/g, '').toLowerCase();
const isKnown = (name: string): name is KnownColumn => (KNOWN_COLUMNS as readonly string[]).includes(name);

function mapColumns(names: string[], delimiter: string): SniffedHeader {
  const found: Partial<Record<KnownColumn, number>> = {};
  const ignoredColumns: string[] = [];
  names.forEach((original, index) => {
    const name = normalize(original);
    if (!isKnown(name)) {
      ignoredColumns.push(original);
      return;
    }
    if (found[name] !== undefined) throw errors.badRequest(`The header names the column "${name}" twice.`);
    found[name] = index;
  });
  const missing = (['sku', 'name'] as const).filter((column) => found[column] === undefined);
  if (found.sku === undefined || found.name === undefined) {
    throw errors.badRequest(
      `The header line must name the columns sku and name (missing: ${missing.join(', ')}). Found: ${names.join(', ') || 'nothing'}.`,
      { missing, found: names },
    );
  }
  const columns: ColumnIndexes = { sku: found.sku, name: found.name };
  if (found.description !== undefined) columns.description = found.description;
  if (found.price !== undefined) columns.price = found.price;
  if (found.active !== undefined) columns.active = found.active;
  return { delimiter, columns, ignoredColumns };
}
