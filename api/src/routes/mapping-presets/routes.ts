import { createMappingPresetRepository } from '@catalog/db';
import { errors } from '@catalog/domain';
import Router from '@koa/router';
import { z } from 'zod';
import { requireRole } from '../../auth/require-role';
import type { AppDeps } from '../../deps';
import { parseInput } from '../../http/validate';
import { errorResponses, jsonContent, type OpenAPIRegistry } from '../../openapi/registry';
import { requiresRole } from '../../openapi/security';
import { mappingPresetSchema } from '../uploads/schema';
import { presentPreset } from './presenter';

const presetIdParams = z.object({ id: z.uuid({ message: 'must be a UUID' }) });
const renamePresetBody = z.object({ name: z.string().trim().min(1, 'must not be empty').max(200) }).strict();

/** Remembered mappings: saved when an import with a mapping starts, offered to the next file with the same headers. */
export function mappingPresetsRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/mapping-presets' });
  const presets = createMappingPresetRepository(deps.db);

  router.get('/', requireRole('viewer'), async (ctx) => {
    ctx.body = { items: (await presets.list()).map(presentPreset) };
  });

  router.patch('/:id', requireRole('editor'), async (ctx) => {
    const { id } = parseInput(presetIdParams, ctx.params, 'params');
    const { name } = parseInput(renamePresetBody, ctx.request.body, 'body');
    const preset = await presets.rename(id, name);
    if (!preset) throw errors.notFound('Mapping preset', id);
    ctx.body = presentPreset(preset);
  });

  router.delete('/:id', requireRole('editor'), async (ctx) => {
    const { id } = parseInput(presetIdParams, ctx.params, 'params');
    if (!(await presets.remove(id))) throw errors.notFound('Mapping preset', id);
    ctx.status = 204;
  });

  return router;
}

export function documentMappingPresets(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/api/mapping-presets',
    operationId: 'listMappingPresets',
    tags: ['Imports'],
    summary: 'Remembered mappings, most recently used first',
    ...requiresRole('viewer', 'One per header line: starting an import with a mapping saves (or replaces) its preset.'),
    responses: {
      200: { description: 'Every preset', ...jsonContent(z.object({ items: z.array(mappingPresetSchema) })) },
      ...errorResponses(401, 403),
    },
  });
  registry.registerPath({
    method: 'patch',
    path: '/api/mapping-presets/{id}',
    operationId: 'renameMappingPreset',
    tags: ['Imports'],
    summary: 'Rename a remembered mapping',
    ...requiresRole('editor'),
    request: { params: presetIdParams, body: { content: { 'application/json': { schema: renamePresetBody } } } },
    responses: {
      200: { description: 'The renamed preset', ...jsonContent(mappingPresetSchema) },
      ...errorResponses(400, 401, 403, 404),
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/api/mapping-presets/{id}',
    operationId: 'deleteMappingPreset',
    tags: ['Imports'],
    summary: 'Forget a remembered mapping',
    ...requiresRole('editor'),
    request: { params: presetIdParams },
    responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 403, 404) },
  });
}
