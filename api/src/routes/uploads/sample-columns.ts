import { createHash } from 'node:crypto';
import { headerSignatureText, type SampledColumn } from '@catalog/domain';
import { parse } from 'csv-parse/sync';
import type { HeaderLine } from '../imports/sniff-header';

/** Values shown per column in the answer; auto-match reads more. */
const SHOWN_SAMPLES = 3;
const SNIFFED_SAMPLES = 20;
const SAMPLE_CHARS = 200;

export type UploadColumn = { index: number; header: string; samples: string[] };

/**
 * The first non-empty values of each column, read from the start of the file (the 64 KB sample):
 * a few to show beside each column, more for auto-match to read. A sample that ends mid-record
 * loses that record; one that cannot be read as CSV at all just gives no samples.
 */
export function sampleColumns(
  line: HeaderLine,
  wholeFile: boolean,
): { shown: UploadColumn[]; sniffed: SampledColumn[] } {
  const rows = readRows(line, wholeFile);
  const sniffed = line.names.map((header, index) => ({
    header,
    samples: firstValues(rows, index, SNIFFED_SAMPLES),
  }));
  const shown = sniffed.map(({ header, samples }, index) => ({
    index,
    header,
    samples: samples
      .slice(0, SHOWN_SAMPLES)
      .map((value) => (value.length > SAMPLE_CHARS ? `${value.slice(0, SAMPLE_CHARS)}…` : value)),
  }));
  return { shown, sniffed };
}

/** The SHA-256 of the normalised header list: files exported by the same screen share it. */
export function headerSignature(headers: readonly string[]): string {
  return createHash('sha256').update(headerSignatureText(headers)).digest('hex');
}

function readRows({ text, delimiter }: HeaderLine, wholeFile: boolean): string[][] {
  // Past the sample's end the last line is cut short: drop it, and retry shorter if a quote was cut open.
  let body = wholeFile ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  for (let attempt = 0; attempt < 3 && body !== ''; attempt++) {
    try {
      const records = parse(body, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true });
      return (records as string[][]).slice(1);
    } catch {
      body = body.slice(0, body.lastIndexOf('\n', body.length - 2) + 1);
    }
  }
  return [];
}

function firstValues(rows: readonly string[][], index: number, count: number): string[] {
  const values: string[] = [];
  for (const row of rows) {
    const value = row[index];
    if (value !== undefined && value.trim() !== '') values.push(value);
    if (values.length === count) break;
  }
  return values;
}
