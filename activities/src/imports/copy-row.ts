import { checkActive, checkName, checkPrice, checkSku, type FieldProblem, isProblem } from '@catalog/domain';
import type { ColumnIndexes } from '@catalog/workflows';

const NULL = '\\N';
const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** PostgreSQL COPY text format: backslash, tab and line breaks are escaped; everything else is verbatim. */
export function copyField(value: string | null): string {
  if (value === null) return NULL;
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/**
 * One staged line: row_no, sku, name, description, price, active, error column, error reason.
 * A valid row carries normalised values; an invalid one its original values and every problem found.
 */
export function stagedLine(rowNo: number, record: string[], columns: ColumnIndexes): { line: string; valid: boolean } {
  const raw = (index: number | undefined) => (index === undefined ? '' : (record[index] ?? ''));
  const sku = checkSku(raw(columns.sku));
  const name = checkName(raw(columns.name));
  const price = checkPrice(raw(columns.price));
  const active = checkActive(raw(columns.active));
  const description = raw(columns.description);

  if (!isProblem(sku) && !isProblem(name) && !isProblem(price) && !isProblem(active)) {
    const fields = [
      String(rowNo),
      copyField(sku),
      copyField(name),
      copyField(description),
      copyField(price),
      active ? 't' : 'f',
      NULL,
      NULL,
    ];
    return { line: `${fields.join('\t')}\n`, valid: true };
  }
  const problems: FieldProblem[] = [sku, name, price, active].filter(isProblem);
  const fields = [
    String(rowNo),
    copyField(raw(columns.sku)),
    copyField(raw(columns.name)),
    copyField(description),
    copyField(raw(columns.price)),
    copyField(raw(columns.active)),
    copyField(problems.map((p) => p.column).join(',')),
    copyField(problems.map((p) => p.reason).join('; ')),
  ];
  return { line: `${fields.join('\t')}\n`, valid: false };
}

/** A record the CSV parser could not read at all (e.g. a stray quote): kept with the parser's reason. */
export function unreadableLine(rowNo: number, reason: string): string {
  return `${[String(rowNo), NULL, NULL, NULL, NULL, NULL, 'row', copyField(reason)].join('\t')}\n`;
}
