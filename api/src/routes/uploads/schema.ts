import { mappingOptionsSchema, mappingSourceSchema } from '@catalog/domain';
import { z } from 'zod';

export const mappingPresetSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    headers: z.array(z.string()).describe('The header line the preset was saved for'),
    mapping: z.object({
      sku: z.string(),
      name: mappingSourceSchema,
      description: mappingSourceSchema,
      price: mappingSourceSchema,
      active: mappingSourceSchema,
    }),
    options: mappingOptionsSchema,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'MappingPreset' });

export const uploadSchema = z
  .object({
    id: z.uuid().describe('Send it as `uploadId` to POST /api/imports'),
    fileName: z.string(),
    bytes: z.number().int(),
    delimiter: z.string(),
    columns: z.array(
      z.object({
        index: z.number().int(),
        header: z.string(),
        samples: z.array(z.string()).describe('The first few non-empty values'),
      }),
    ),
    platform: z.string().nullable().describe('The shop system whose export the headers match, if any'),
    suggestedMapping: z
      .object({
        sku: mappingSourceSchema,
        name: mappingSourceSchema,
        description: mappingSourceSchema,
        price: mappingSourceSchema,
        active: mappingSourceSchema,
      })
      .describe('A source header per catalog field, or null; a remembered preset may also hold constants'),
    suggestedOptions: mappingOptionsSchema,
    reasons: z.array(z.string()).describe('One line per suggestion, e.g. "Variant SKU → sku: Shopify variant SKU"'),
    preset: mappingPresetSchema.nullable().describe('The remembered mapping for this header line, if any'),
  })
  .meta({ id: 'Upload' });
