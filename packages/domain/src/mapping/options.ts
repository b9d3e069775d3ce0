import { z } from 'zod';
import { descriptionFormatSchema } from './html-text';
import { numberFormatSchema, PLAIN_NUMBERS } from './number-format';
import { activeVocabularySchema } from './vocabularies';

const header = z.string().min(1).max(1000);

/**
 * Rows that belong together (a product and its variants). `same`: rows with the same value in the
 * column form a group whose first row is the product, as Shopify writes `Handle` (a group's rows
 * follow one another). `parent`: the column names the product row by its SKU or as `id:<ID>` (with
 * `idColumn`), as WooCommerce writes `Parent`; rows with it blank are products.
 */
export const groupOptionSchema = z
  .object({
    column: header,
    by: z.enum(['same', 'parent'], { message: 'must be same or parent' }),
    idColumn: header.nullable().default(null),
  })
  .strict();
export type GroupOption = z.infer<typeof groupOptionSchema>;

/** Everything a mapping can say about reading values, beyond which column feeds which field. */
export const mappingOptionsSchema = z
  .object({
    activeValues: activeVocabularySchema.default('true_false'),
    priceFormat: numberFormatSchema.default(PLAIN_NUMBERS),
    group: groupOptionSchema.nullable().default(null),
    /** A variant's name adds its option values: "Example T-Shirt — Green / M". */
    variantName: z
      .object({ optionColumns: z.array(header).min(1).max(10) })
      .strict()
      .nullable()
      .default(null),
    description: descriptionFormatSchema.default('keep'),
  })
  .strict()
  .meta({ id: 'MappingOptions' });
export type MappingOptions = z.infer<typeof mappingOptionsSchema>;

export const DEFAULT_MAPPING_OPTIONS: MappingOptions = mappingOptionsSchema.parse({});
