import { z } from 'zod';

/** The catalog fields a source column can feed. */
export const MAPPING_TARGETS = ['sku', 'name', 'description', 'price', 'active'] as const;
export type MappingTarget = (typeof MAPPING_TARGETS)[number];

/**
 * Where a target's value comes from: a source column named by its header, a constant (e.g. active
 * = "true" for every row), or nothing. The SKU always comes from a column.
 */
export const mappingSourceSchema = z.union([
  z.string().min(1).max(1000),
  z.null(),
  z.object({ constant: z.string().max(10_000) }).strict(),
]);
export type MappingSource = z.infer<typeof mappingSourceSchema>;

export const columnMappingSchema = z
  .object({
    sku: z.string().min(1).max(1000).describe('The header of the column holding the SKU'),
    name: mappingSourceSchema,
    description: mappingSourceSchema.default(null),
    price: mappingSourceSchema.default(null),
    active: mappingSourceSchema.default(null),
  })
  .strict()
  .meta({ id: 'ColumnMapping' });
export type ColumnMapping = z.infer<typeof columnMappingSchema>;

/** What auto-match proposes: a source header per target, or null (constants are a person's choice or a preset's). */
export type SuggestedMapping = Record<MappingTarget, MappingSource>;
