import type { MappedRow } from '@catalog/domain';
import {
  checkActive,
  checkName,
  checkPrice,
  checkSku,
  type FieldProblem,
  isProblem,
  unescapeCsvFormula,
} from '@catalog/domain';
import type { ColumnIndexes } from '@catalog/workflows';

const NULL = '\\N';
/** The error column of a row a mapped import skipped (see mappedLine). */
export const SKIPPED = 'skipped';
const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** PostgreSQL COPY text format: backslash, tab and line breaks are escaped; everything else is verbatim. */
export function copyField(value: string | null): string {
  if (value === null) return NULL;
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/**
 * One staged line: row_no, sku, name, description, price, active, error column, error reason, raw text.
 * A valid row carries normalised values; an invalid one its original values and every problem
 * found. This runs once per row of every import, so it builds the line directly.
 */
export function stagedLine(rowNo: number, record: string[], columns: ColumnIndexes): { line: string; valid: boolean } {
  // Text cells exported by this product carry a leading ' against spreadsheet formulas; it comes off
  // again here, so an export re-imports unchanged.
  const rawSku = unescapeCsvFormula(record[columns.sku] ?? '');
  const rawName = unescapeCsvFormula(record[columns.name] ?? '');
  const description = columns.description === undefined ? '' : unescapeCsvFormula(record[columns.description] ?? '');
  const rawPrice = columns.price === undefined ? '' : (record[columns.price] ?? '');
  const rawActive = columns.active === undefined ? '' : (record[columns.active] ?? '');
  const sku = checkSku(rawSku);
  const name = checkName(rawName);
  const price = checkPrice(rawPrice);
  const active = checkActive(rawActive);

  if (!isProblem(sku) && !isProblem(name) && !isProblem(price) && !isProblem(active)) {
    const line = `${rowNo}\t${copyField(sku)}\t${copyField(name)}\t${copyField(description)}\t${copyField(price)}\t${active ? 't' : 'f'}\t${NULL}\t${NULL}\t${NULL}\n`;
    return { line, valid: true };
  }
  const problems: FieldProblem[] = [sku, name, price, active].filter(isProblem);
  const column = problems.map((p) => p.column).join(',');
  const reason = problems.map((p) => p.reason).join('; ');
  const line = `${rowNo}\t${copyField(rawSku)}\t${copyField(rawName)}\t${copyField(description)}\t${copyField(rawPrice)}\t${copyField(rawActive)}\t${copyField(column)}\t${copyField(reason)}\t${NULL}\n`;
  return { line, valid: false };
}

/** A record that could not be read as cells (e.g. a NUL byte, a huge cell): kept with its reason and raw text. */
export function unreadableLine(rowNo: number, reason: string, raw: string): string {
  return `${[String(rowNo), NULL, NULL, NULL, NULL, NULL, 'row', copyField(reason), copyField(raw)].join('\t')}\n`;
}

/**
 * A row read through a mapping: valid and invalid rows as `stagedLine` writes them; a skipped row
 * (not a product) keeps only its reason, under the column `skipped`, so the error report lists it
 * apart from invalid rows and plan leaves it out like any row with a reason.
 */
export function mappedLine(rowNo: number, row: MappedRow): string {
  if (row.kind === 'valid') {
    return `${rowNo}\t${copyField(row.sku)}\t${copyField(row.name)}\t${copyField(row.description)}\t${copyField(row.price)}\t${row.active ? 't' : 'f'}\t${NULL}\t${NULL}\t${NULL}\n`;
  }
  if (row.kind === 'invalid') {
    const cells = [row.sku, row.name, row.description, row.price, row.active, row.column, row.reason];
    return `${rowNo}\t${cells.map(copyField).join('\t')}\t${NULL}\n`;
  }
  return `${rowNo}\t${NULL}\t${NULL}\t${NULL}\t${NULL}\t${NULL}\t${SKIPPED}\t${copyField(row.reason)}\t${NULL}\n`;
}
