import { auditPageSchema } from '@catalog/domain';
import { errorResponses, jsonContent, type OpenAPIRegistry } from '../../openapi/registry';
import { requiresRole } from '../../openapi/security';
import { listAuditQuery } from './schema';

export function documentAudit(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/api/audit',
    operationId: 'listAudit',
    tags: ['Access'],
    summary: 'The audit log: who changed what, signed in, or revealed a secret; newest first',
    ...requiresRole(
      'admin',
      'Each entry names its actor (a user, an API key, the system, or `anonymous` for a failed sign-in), ' +
        'the action, its target and small details (changed field names, never values of secrets or passwords). ' +
        'Page with `nextCursor`.',
    ),
    request: { query: listAuditQuery },
    responses: {
      200: { description: 'A page of entries', ...jsonContent(auditPageSchema) },
      ...errorResponses(400, 401, 403),
    },
  });
}
