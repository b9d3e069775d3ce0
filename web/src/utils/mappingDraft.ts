import {
  AppError,
  type ColumnMapping,
  createRowMapper,
  MAPPING_TARGETS,
  type MappedRow,
  type MappingOptions,
  type MappingSource,
  type MappingTarget,
  planMapping,
} from '@catalog/domain';

/** The fields a constant can feed: the SKU always comes from a column. */
export type ValueTarget = Exclude<MappingTarget, 'sku'>;
export const VALUE_TARGETS: readonly ValueTarget[] = ['name', 'description', 'price', 'active'];

export interface SourceColumn {
  index: number;
  header: string;
  samples: string[];
}

/** The mapping screen's state: what a person chose, before it is checked against the file. */
export interface MappingDraft {
  /** The field each column feeds, by column index; null when the column is not imported. */
  targets: (MappingTarget | null)[];
  /** A value for every row, for a field no column feeds ('' for none). */
  constants: Record<ValueTarget, string>;
  options: MappingOptions;
}

/** The suggestion (or remembered preset) as a draft: headers become column choices, constants stay constants. */
export function draftFromSuggestion(
  columns: readonly SourceColumn[],
  suggested: Record<MappingTarget, MappingSource>,
  options: MappingOptions,
): MappingDraft {
  const targets: (MappingTarget | null)[] = columns.map(() => null);
  const constants: Record<ValueTarget, string> = { name: '', description: '', price: '', active: '' };
  for (const target of MAPPING_TARGETS) {
    const source = suggested[target];
    if (source === null) continue;
    if (typeof source !== 'string') {
      if (target !== 'sku') constants[target] = source.constant;
      continue;
    }
    const column = columns.find((candidate) => candidate.header === source && targets[candidate.index] === null);
    if (column) targets[column.index] = target;
  }
  return { targets, constants, options };
}

export type CheckedMapping = { mapping: ColumnMapping; problems: [] } | { mapping: null; problems: string[] };

/**
 * The draft as the API's mapping, or every reason it cannot be one: the SKU and name are
 * required, a field takes one column, and the rest as the server checks it (planMapping: the
 * group and option columns exist, a constant is a valid value).
 */
export function checkDraft(columns: readonly SourceColumn[], draft: MappingDraft): CheckedMapping {
  const problems: string[] = [];
  const sourceOf = (target: MappingTarget): string | null => {
    const chosen = columns.filter((column) => draft.targets[column.index] === target);
    if (chosen.length > 1) {
      const names = chosen.map((column) => `"${column.header}"`).join(' and ');
      problems.push(`${target} is chosen for ${names}: a field takes one column.`);
    }
    return chosen[0]?.header ?? null;
  };
  const valueSource = (target: ValueTarget): MappingSource => {
    const header = sourceOf(target);
    if (header !== null) return header;
    const constant = draft.constants[target];
    return constant.trim() === '' ? null : { constant };
  };

  const sku = sourceOf('sku');
  if (sku === null) problems.push('Choose the column that holds the SKU: every product needs one.');
  const name = valueSource('name');
  if (name === null) problems.push('Choose the column that holds the name, or give every row the same name.');
  const description = valueSource('description');
  const price = valueSource('price');
  const active = valueSource('active');
  if (sku === null || problems.length > 0) return { mapping: null, problems };

  const mapping: ColumnMapping = { sku, name, description, price, active };
  try {
    planMapping(
      columns.map((column) => column.header),
      mapping,
      draft.options,
    );
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { mapping: null, problems: [error.message] };
  }
  return { mapping, problems: [] };
}

/** The rows as the import will read them, through the same row mapper staging uses. */
export function previewRows(
  columns: readonly SourceColumn[],
  mapping: ColumnMapping,
  options: MappingOptions,
  rows: readonly (readonly string[])[],
): MappedRow[] {
  const mapRow = createRowMapper(
    planMapping(
      columns.map((column) => column.header),
      mapping,
      options,
    ),
  );
  return rows.map((cells) => mapRow(cells));
}

/** The suggestion's reasons about one column ("Variant SKU → sku: …", "Status: active read as …"). */
export function reasonsFor(header: string, reasons: readonly string[]): string[] {
  return reasons.filter((reason) => reason.startsWith(`${header} → `) || reason.startsWith(`${header}: `));
}

/** The reasons that name no single column (a remembered preset, option columns together). */
export function generalReasons(columns: readonly SourceColumn[], reasons: readonly string[]): string[] {
  return reasons.filter((reason) => columns.every((column) => reasonsFor(column.header, [reason]).length === 0));
}
