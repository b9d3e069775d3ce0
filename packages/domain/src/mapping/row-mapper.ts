import { checkName, checkPrice, checkSku, type FieldProblem, isProblem } from '../product';
import { unescapeCsvFormula } from '../products';
import { htmlToText } from './html-text';
import { readPrice } from './number-format';
import type { MappingPlan, PlannedSource } from './plan';
import { readActive } from './vocabularies';

export type MappedRow =
  | { kind: 'valid'; sku: string; name: string; description: string; price: string | null; active: boolean }
  /** The row's values as the file had them (after group filling), with every problem found. */
  | {
      kind: 'invalid';
      sku: string;
      name: string;
      description: string;
      price: string;
      active: string;
      column: string;
      reason: string;
    }
  /** Not a product: a row with no SKU and no product fields (an image or option row of a group). */
  | { kind: 'skipped'; reason: string };

type GroupHead = { name: string; description: string; active: string };

/** How many products of a `parent` grouping are remembered for the variants that follow them. */
const MAX_REMEMBERED_PARENTS = 100_000;
/** Shopify's option value for a product without variants. */
const NO_OPTION = 'default title';

/**
 * Reads the rows of one file, in file order, through a mapping plan. Stateful: a group's first row
 * lends its name, description and active state to the group's rows that leave them blank.
 */
export function createRowMapper(plan: MappingPlan): (cells: readonly string[]) => MappedRow {
  const nameOf = reader(plan.name);
  const descriptionOf = reader(plan.description);
  const priceOf = reader(plan.price);
  const activeOf = reader(plan.active);
  const ownName = columnReader(plan.name);
  const ownDescription = columnReader(plan.description);
  const ownPrice = columnReader(plan.price);
  const heads = new Map<string, GroupHead>();
  let currentKey: string | null = null;
  let current: GroupHead | null = null;

  const headFor = (cells: readonly string[], own: GroupHead, sku: string): GroupHead | null => {
    const group = plan.group;
    if (!group) return null;
    const key = (cells[group.column] ?? '').trim();
    if (group.by === 'same') {
      if (key === '') return null;
      if (key !== currentKey) {
        currentKey = key;
        current = own;
      }
      return current;
    }
    if (key !== '') return heads.get(key) ?? null;
    // A product row: remembered by SKU and by id:<ID>, the two ways WooCommerce names a parent.
    const remember = (name: string) => {
      if (heads.size >= MAX_REMEMBERED_PARENTS) heads.delete(heads.keys().next().value ?? '');
      heads.set(name, own);
    };
    if (sku !== '') remember(sku);
    const id = group.idColumn === null ? '' : (cells[group.idColumn] ?? '').trim();
    if (id !== '') remember(`id:${id}`);
    return null;
  };

  return function mapRow(cells) {
    const rawSku = unescapeCsvFormula(cells[plan.sku] ?? '');
    let name = unescapeCsvFormula(nameOf(cells));
    let description = unescapeCsvFormula(descriptionOf(cells));
    const rawPrice = priceOf(cells);
    let rawActive = activeOf(cells);
    const sku = rawSku.trim();

    if (sku === '' && isBlank(ownName(cells)) && isBlank(ownDescription(cells)) && isBlank(ownPrice(cells))) {
      return { kind: 'skipped', reason: skipReason(plan, cells) };
    }
    const head = headFor(cells, { name, description, active: rawActive }, sku);
    if (head) {
      if (isBlank(name)) name = head.name;
      if (isBlank(description)) description = head.description;
      if (isBlank(rawActive)) rawActive = head.active;
    }
    if (plan.optionColumns.length > 0 && !isBlank(name)) name = withOptionValues(name, plan.optionColumns, cells);
    if (plan.descriptionFormat === 'text') description = htmlToText(description);

    const checkedSku = checkSku(rawSku);
    const checkedName = checkName(name);
    const normalized = readPrice(rawPrice, plan.priceFormat);
    const price =
      normalized === null ? { column: 'price', reason: priceReason(rawPrice, plan) } : checkPrice(normalized);
    const activeValue = readActive(rawActive, plan.activeValues);
    const active: boolean | FieldProblem =
      typeof activeValue === 'boolean' ? activeValue : { column: 'active', reason: activeValue.reason };

    if (!isProblem(checkedSku) && !isProblem(checkedName) && !isProblem(price) && !isProblem(active)) {
      return { kind: 'valid', sku: checkedSku, name: checkedName, description, price, active };
    }
    const problems = [checkedSku, checkedName, price, active].filter(isProblem);
    return {
      kind: 'invalid',
      sku: rawSku,
      name,
      description,
      price: rawPrice,
      active: rawActive,
      column: problems.map((problem) => problem.column).join(','),
      reason: problems.map((problem) => problem.reason).join('; '),
    };
  };
}

const isBlank = (value: string): boolean => value.trim() === '';

type CellReader = (cells: readonly string[]) => string;
const NOTHING: CellReader = () => '';

/** Decided once per file, not per row: where a target's value comes from. */
function reader(source: PlannedSource): CellReader {
  if (source === null) return NOTHING;
  if ('constant' in source) {
    const { constant } = source;
    return () => constant;
  }
  return columnReader(source);
}

/** A target's own cell (blank for a constant): what tells a product row from an image row. */
function columnReader(source: PlannedSource): CellReader {
  if (source === null || !('column' in source)) return NOTHING;
  const { column } = source;
  return (cells) => cells[column] ?? '';
}

function withOptionValues(name: string, columns: readonly number[], cells: readonly string[]): string {
  const values: string[] = [];
  for (const column of columns) {
    const value = (cells[column] ?? '').trim();
    if (value !== '' && value.toLowerCase() !== NO_OPTION) values.push(value);
  }
  return values.length === 0 ? name : `${name} — ${values.join(' / ')}`;
}

function priceReason(raw: string, plan: MappingPlan): string {
  const { decimal, thousands } = plan.priceFormat;
  const separators =
    thousands === ''
      ? `decimal "${decimal}", no thousands separator`
      : `decimal "${decimal}", thousands "${thousands}"`;
  return `price "${raw}" is not a number in the chosen format (${separators})`;
}

function skipReason(plan: MappingPlan, cells: readonly string[]): string {
  const filled = plan.headers.filter((_, index) => !isBlank(cells[index] ?? ''));
  if (filled.length === 0) return 'Skipped: the row is empty';
  const shown = filled.slice(0, 4).join(', ') + (filled.length > 4 ? `, and ${filled.length - 4} more` : '');
  return `Skipped: no SKU, name, description or price, only ${shown} (an image or option row, not a product)`;
}
