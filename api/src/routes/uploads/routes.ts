import { randomUUID } from 'node:crypto';
import { createMappingPresetRepository, createUploadRepository } from '@catalog/db';
import { errors } from '@catalog/domain';
import Router from '@koa/router';
import { z } from 'zod';
import { actorOf } from '../../auth/actor';
import { requireRole } from '../../auth/require-role';
import type { AppDeps } from '../../deps';
import { errorResponses, jsonContent, type OpenAPIRegistry } from '../../openapi/registry';
import { requiresRole } from '../../openapi/security';
import { readSample, SAMPLE_BYTES, sniffHeaderLine } from '../imports/sniff-header';
import { uploadMiddleware } from '../imports/upload';
import { presentPreset } from '../mapping-presets/presenter';
import { headerSignature, sampleColumns } from './sample-columns';
import { uploadSchema } from './schema';
import { suggestionFor } from './suggestion';

/**
 * Upload, then map: the file is stored as an import's would be, its columns sampled and matched,
 * and it waits (for its sender only) until POST /api/imports names it with a mapping.
 */
export function uploadsRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/uploads' });
  const uploads = createUploadRepository(deps.db);
  const presets = createMappingPresetRepository(deps.db);

  router.post('/', requireRole('editor'), uploadMiddleware(deps.uploads, deps.config.UPLOAD_MAX_BYTES), async (ctx) => {
    const file = ctx.file;
    if (!file) throw errors.badRequest('No file received: send the CSV in the multipart form field "file".');
    const actor = actorOf(ctx);
    if (!actor) throw errors.unauthenticated();
    try {
      const line = sniffHeaderLine(await readSample(deps.uploads, file.path, file.size));
      if (line.names.every((name) => name.trim() === '')) throw errors.badRequest('The header line names no columns.');
      const { shown, sniffed } = sampleColumns(line, file.size <= SAMPLE_BYTES);
      const signature = headerSignature(line.names);
      const preset = await presets.findBySignature(signature);
      const upload = await uploads.create(actor, {
        id: randomUUID(),
        fileKey: file.path,
        fileName: file.originalname,
        bytes: file.size,
        delimiter: line.delimiter,
        headers: line.names,
        signature,
      });
      const suggestion = suggestionFor(sniffed, preset);
      ctx.status = 201;
      ctx.body = {
        id: upload.id,
        fileName: upload.fileName,
        bytes: upload.bytes,
        delimiter: upload.delimiter,
        columns: shown,
        platform: suggestion.platform,
        suggestedMapping: suggestion.suggestedMapping,
        suggestedOptions: suggestion.suggestedOptions,
        reasons: suggestion.reasons,
        preset: preset && presentPreset(preset),
      };
    } catch (error) {
      await deps.uploads.remove(file.path);
      throw error;
    }
  });

  return router;
}

export function documentUploads(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'post',
    path: '/api/uploads',
    operationId: 'createUpload',
    tags: ['Imports'],
    summary: 'Upload a CSV to map: its columns with sample values, and a suggested mapping with reasons',
    ...requiresRole(
      'editor',
      'multipart/form-data with the file in the field `file` (same checks and size limit as POST /api/imports). ' +
        'Any header line is accepted. Auto-match knows the product exports of Shopify, WooCommerce, BigCommerce, ' +
        'Magento/Adobe Commerce, Google Merchant Center and Amazon flat files. Start the import with ' +
        '`POST /api/imports {uploadId, mapping, options}`; the upload belongs to its sender.',
    ),
    request: {
      body: {
        content: {
          'multipart/form-data': {
            schema: uploadFileSchema(),
          },
        },
      },
    },
    responses: {
      201: { description: 'Stored and sampled', ...jsonContent(uploadSchema) },
      ...errorResponses(400, 401, 403, 413, 415),
    },
  });
}

function uploadFileSchema() {
  // `contentMediaType` is how OpenAPI 3.1 marks a file part, so generated clients send bytes.
  return z.object({ file: z.string().meta({ description: 'the CSV file', contentMediaType: 'text/csv' }) });
}
