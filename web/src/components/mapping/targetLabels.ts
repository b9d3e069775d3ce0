import type { MappingTarget } from '@catalog/domain';

/** The catalog fields a column can feed, in the order the screen offers them. */
export const TARGET_LABELS: readonly (readonly [MappingTarget, string])[] = [
  ['sku', 'SKU'],
  ['name', 'Name'],
  ['description', 'Description'],
  ['price', 'Price'],
  ['active', 'Active'],
];

export const labelOf = (target: MappingTarget): string =>
  TARGET_LABELS.find(([name]) => name === target)?.[1] ?? target;
