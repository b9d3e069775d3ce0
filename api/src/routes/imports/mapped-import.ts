import { randomUUID } from 'node:crypto';
import { createMappingPresetRepository, createUploadRepository } from '@catalog/db';
import {
  columnMappingSchema,
  errors,
  type MappingPlan,
  mappingOptionsSchema,
  planMapping,
  suggestMapping,
} from '@catalog/domain';
import type { Context } from 'koa';
import { z } from 'zod';
import { attributionOf } from '../../audit/attribution';
import { actorOf } from '../../auth/actor';
import type { AppDeps } from '../../deps';
import { parseInput } from '../../http/validate';
import { startImport } from './start-import';

/** Under the upload janitor's day (activities/src/uploads/janitor.ts), so a file it may remove is never imported. */
const UPLOAD_WAITS_MS = 23 * 3_600_000;

export const mappedImportBody = z
  .object({
    uploadId: z.uuid({ message: 'must be the id answered by POST /api/uploads' }),
    mapping: columnMappingSchema,
    options: mappingOptionsSchema.default(mappingOptionsSchema.parse({})),
    review: z
      .boolean()
      .default(false)
      .describe(
        'true: stage, plan and compute the diff, then wait in status `review` for POST /api/imports/{id}/apply ' +
          '(or /cancel; discarded after IMPORT_REVIEW_TIMEOUT). false: apply at once',
      ),
  })
  .strict()
  .meta({ id: 'MappedImportRequest' });

/**
 * POST /api/imports with JSON: imports an upload of the caller's through a mapping. The mapping is
 * checked against the file's header line first (400 naming each problem), then travels in the
 * workflow's input as column indexes; the mapping and options are remembered for the next file
 * with the same headers.
 */
export async function startMappedImport(deps: AppDeps, ctx: Context): Promise<void> {
  const body = parseInput(mappedImportBody, ctx.request.body, 'body');
  const actor = actorOf(ctx);
  if (!actor) throw errors.unauthenticated();
  const uploads = createUploadRepository(deps.db);
  // Claimed before anything else, so a double submit starts one import; given back if none starts.
  const upload = await uploads.take(actor, body.uploadId);
  if (!upload) {
    throw errors.badRequest(`uploadId ${body.uploadId} is not an upload of yours waiting for a mapping.`, {
      uploadId: body.uploadId,
    });
  }
  if (Date.now() - upload.createdAt.getTime() > UPLOAD_WAITS_MS) {
    throw errors.badRequest(
      `uploadId ${body.uploadId} has expired: an upload waits a day at most for its mapping. Upload the file again.`,
      { uploadId: body.uploadId },
    );
  }
  let plan: MappingPlan;
  let jobId: string;
  try {
    plan = planMapping(upload.headers, body.mapping, body.options);
    // The job owns the file from here: it removes it when it ends.
    jobId = await startImport(
      deps,
      attributionOf(ctx),
      { fileName: upload.fileName, fileSize: upload.bytes, filePath: upload.fileKey, delimiter: upload.delimiter },
      { mapping: plan },
      body.review ? { timeoutMs: deps.config.IMPORT_REVIEW_TIMEOUT } : undefined,
    );
  } catch (error) {
    await uploads.giveBack(actor, upload);
    throw error;
  }
  const platform = suggestMapping(upload.headers.map((header) => ({ header, samples: [] }))).platform;
  await createMappingPresetRepository(deps.db).save({
    id: randomUUID(),
    name: platform ? `${platform} export (${upload.fileName})` : upload.fileName,
    signature: upload.signature,
    headers: upload.headers,
    mapping: body.mapping,
    options: body.options,
  });
  ctx.status = 202;
  ctx.set('Location', `/api/imports/${jobId}`);
  ctx.body = { jobId, ignoredColumns: unusedColumns(plan) };
}

/** The file's columns the mapping reads nothing from, as the multipart import lists its unknown columns. */
function unusedColumns(plan: MappingPlan): string[] {
  const used = new Set<number>([plan.sku, ...plan.optionColumns]);
  for (const source of [plan.name, plan.description, plan.price, plan.active]) {
    if (source && 'column' in source) used.add(source.column);
  }
  if (plan.group) {
    used.add(plan.group.column);
    if (plan.group.idColumn !== null) used.add(plan.group.idColumn);
  }
  return plan.headers.filter((_, index) => !used.has(index));
}
