import { errors } from '../errors';
import { normalizeHeader } from './headers';
import { readPrice } from './number-format';
import type { MappingOptions } from './options';
import { type ColumnMapping, MAPPING_TARGETS, type MappingSource } from './targets';
import { readActive } from './vocabularies';

export type PlannedSource = { column: number } | { constant: string } | null;

/**
 * A mapping resolved against one file's header line: column indexes instead of names, so staging
 * does no lookups per row. Small and plain, so it travels in the import workflow's input.
 */
export type MappingPlan = {
  sku: number;
  name: PlannedSource;
  description: PlannedSource;
  price: PlannedSource;
  active: PlannedSource;
  activeValues: MappingOptions['activeValues'];
  priceFormat: MappingOptions['priceFormat'];
  descriptionFormat: MappingOptions['description'];
  group: { column: number; by: 'same' | 'parent'; idColumn: number | null } | null;
  optionColumns: number[];
  /** The file's headers, to name the cells a skipped row still had. */
  headers: string[];
};

/**
 * Resolves a mapping against a file's headers, or fails with a 400 naming every problem: a column
 * that is not in the file (or named twice in it), one column feeding two targets, a constant that
 * is not a valid value. A header matches exactly, else ignoring case and punctuation.
 */
export function planMapping(headers: readonly string[], mapping: ColumnMapping, options: MappingOptions): MappingPlan {
  const problems: string[] = [];
  const locate = (header: string, where: string): number => {
    const exact = headers.flatMap((h, index) => (h === header ? [index] : []));
    const loose = headers.flatMap((h, index) => (normalizeHeader(h) === normalizeHeader(header) ? [index] : []));
    const found = exact.length > 0 ? exact : loose;
    if (found.length === 1) return found[0] ?? -1;
    problems.push(
      found.length === 0
        ? `${where} names the column "${header}", which is not in the file (its columns: ${headers.join(', ')})`
        : `${where} names the column "${header}", which the file has ${found.length} times`,
    );
    return -1;
  };
  const taken = new Map<number, string>();
  const source = (target: string, value: MappingSource): PlannedSource => {
    if (value === null) return null;
    if (typeof value !== 'string') return { constant: value.constant };
    const column = locate(value, `mapping.${target}`);
    if (column < 0) return null;
    const other = taken.get(column);
    if (other)
      problems.push(`mapping.${other} and mapping.${target} both take the column "${value}": a column feeds one field`);
    else taken.set(column, target);
    return { column };
  };

  const [sku, name, description, price, active] = MAPPING_TARGETS.map((target) => source(target, mapping[target]));
  checkConstants({ price, active }, options, problems);
  const group = options.group && {
    column: locate(options.group.column, 'options.group.column'),
    by: options.group.by,
    idColumn: options.group.idColumn === null ? null : locate(options.group.idColumn, 'options.group.idColumn'),
  };
  const optionColumns = (options.variantName?.optionColumns ?? []).map((header) =>
    locate(header, 'options.variantName.optionColumns'),
  );
  if (problems.length > 0) {
    throw errors.badRequest(`The mapping does not fit the file: ${problems.join('; ')}.`, { problems });
  }
  return {
    sku: sku && 'column' in sku ? sku.column : -1,
    name: name ?? null,
    description: description ?? null,
    price: price ?? null,
    active: active ?? null,
    activeValues: options.activeValues,
    priceFormat: options.priceFormat,
    descriptionFormat: options.description,
    group,
    optionColumns,
    headers: [...headers],
  };
}

function checkConstants(
  { price, active }: { price: PlannedSource | undefined; active: PlannedSource | undefined },
  options: MappingOptions,
  problems: string[],
) {
  if (price && 'constant' in price && readPrice(price.constant, options.priceFormat) === null) {
    problems.push(`mapping.price is the constant "${price.constant}", which is not a price`);
  }
  if (active && 'constant' in active) {
    const value = readActive(active.constant, options.activeValues);
    if (typeof value !== 'boolean')
      problems.push(`mapping.active is the constant "${active.constant}": ${value.reason}`);
  }
}
