import {
  checkActive,
  checkName,
  checkPrice,
  checkSku,
  DELETE_ALL_CONFIRMATION,
  type FieldProblem,
  hasNoNul,
  isProblem,
  NUL_MESSAGE,
  normalizePrice,
  PRODUCT_PAGE_SIZE_DEFAULT,
  PRODUCT_PAGE_SIZE_MAX,
  type ProductSort,
  productSortFields,
} from '@catalog/domain';
import { z } from 'zod';

/**
 * Request shapes of /api/products. Field values go through the importer's own checks
 * (checkSku, checkName, checkPrice, checkActive), so a product the API accepts is exactly a row
 * the importer accepts; JSON numbers and booleans are read as the text a CSV cell would hold.
 */
const ruled = <T>(check: (raw: string) => T | FieldProblem) =>
  z.string().transform((raw, ctx): T => {
    const checked = check(raw);
    if (!isProblem(checked)) return checked;
    ctx.addIssue({ code: 'custom', message: checked.reason });
    return z.NEVER;
  });

const noNul = (field: string) => z.string().refine(hasNoNul, `${field} ${NUL_MESSAGE}`);

const sku = noNul('sku').pipe(ruled(checkSku));
const name = noNul('name').pipe(ruled(checkName));
const description = noNul('description');
const price = z
  .union([z.string(), z.number(), z.null()])
  .transform((value) => (value === null ? '' : String(value)))
  .pipe(ruled(checkPrice))
  .transform((value) => (value === null ? null : normalizePrice(value)));
const active = z
  .union([z.boolean(), z.string()])
  .transform((value) => String(value))
  .pipe(ruled(checkActive));

export const createProductBody = z.strictObject({
  sku,
  name,
  description: description.default(''),
  price: price.default(null),
  active: active.default(true),
});

export const updateProductBody = z.strictObject({
  sku: sku.optional(),
  name: name.optional(),
  description: description.optional(),
  price: price.optional(),
  active: active.optional(),
  version: z.number().int().min(1).optional().describe('The version the edit started from (or send If-Match)'),
});

export const productIdParams = z.object({
  id: z.coerce.number({ message: 'must be a product id' }).int('must be a product id').min(1, 'must be a product id'),
});

/** `"3"`, `W/"3"` or `3`: the version from a product's ETag. */
export const ifMatchHeader = z.object({
  'if-match': z
    .string()
    .regex(/^(W\/)?"?\d+"?$/, 'must be the ETag of the product ("<version>")')
    .transform((value) => Number(value.replace(/\D/g, '')))
    .optional(),
});

const filterText = z
  .string()
  .max(200, 'must be at most 200 characters')
  .refine(hasNoNul, NUL_MESSAGE)
  .transform((value) => value.trim() || undefined)
  .optional();

const sortValues = productSortFields.flatMap((field) => [field, `${field}:asc`, `${field}:desc`] as const);

export const listProductsQuery = z.strictObject({
  sku: filterText,
  name: filterText,
  description: filterText,
  q: filterText,
  active: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .transform((v) => v === 'true')
    .optional(),
  page: z.coerce.number().int('must be a whole number').min(1, 'must be 1 or more').max(10_000_000).default(1),
  pageSize: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be 1 or more')
    .max(PRODUCT_PAGE_SIZE_MAX, `must be at most ${PRODUCT_PAGE_SIZE_MAX}`)
    .default(PRODUCT_PAGE_SIZE_DEFAULT),
  sort: z
    .enum(sortValues, { message: `must be one of ${productSortFields.join(', ')}, optionally with :asc or :desc` })
    .default('sku')
    .transform(parseSort),
  cursor: z
    .string()
    .max(2_000, 'must be a cursor this API returned')
    .optional()
    .describe(
      "An earlier answer's nextCursor or prevCursor; wins over page. It is tied to the filters, sort and " +
        'pageSize it was made for (otherwise 400: start again from page 1).',
    ),
});

export const exportProductsQuery = listProductsQuery.pick({
  sku: true,
  name: true,
  description: true,
  q: true,
  active: true,
});

export const deleteAllBody = z.object(
  { confirm: z.literal(DELETE_ALL_CONFIRMATION, { message: `must be exactly "${DELETE_ALL_CONFIRMATION}"` }) },
  { message: `send {"confirm": "${DELETE_ALL_CONFIRMATION}"}` },
);

function parseSort(value: (typeof sortValues)[number]): ProductSort {
  const [field, direction] = value.split(':');
  const known = productSortFields.find((candidate) => candidate === field) ?? 'sku';
  return { field: known, direction: direction === 'desc' ? 'desc' : 'asc' };
}
