import { documentApiKeys } from '../routes/api-keys/routes';
import { documentAudit } from '../routes/audit/routes';
import { documentOidc } from '../routes/auth/oidc-routes';
import { documentAuth } from '../routes/auth/routes';
import { documentDeliveries } from '../routes/deliveries/routes';
import { documentDocs } from '../routes/docs/routes';
import { documentHealth } from '../routes/health/routes';
import { documentImportReview } from '../routes/imports/review-routes';
import { documentImports } from '../routes/imports/routes';
import { documentImportUndo } from '../routes/imports/undo-routes';
import { documentJobs } from '../routes/jobs/routes';
import { documentMappingPresets } from '../routes/mapping-presets/routes';
import { documentMeta } from '../routes/meta/routes';
import { documentProducts } from '../routes/products/routes';
import { documentUploads } from '../routes/uploads/routes';
import { documentUsers } from '../routes/users/routes';
import { documentWebhooks } from '../routes/webhooks/routes';
import { buildOpenApiDocument, OpenAPIRegistry } from './registry';
import { documentSecuritySchemes } from './security';

export const API_VERSION = '0.1.0';

/**
 * Each resource describes its paths with the same zod schemas that validate its requests. Kept
 * apart from the routers so the document can be written without any running dependency (see
 * write-document.ts); openapi.test.ts checks that routers and document list the same routes.
 */
const documenters: ((registry: OpenAPIRegistry) => void)[] = [
  documentHealth,
  documentMeta,
  documentImports,
  documentUploads,
  documentMappingPresets,
  documentImportReview,
  documentImportUndo,
  documentJobs,
  documentProducts,
  documentWebhooks,
  documentDeliveries,
  documentSecuritySchemes,
  documentAuth,
  documentOidc,
  documentUsers,
  documentApiKeys,
  documentAudit,
  documentDocs,
];

export function createOpenApiDocument() {
  const registry = new OpenAPIRegistry();
  for (const document of documenters) document(registry);
  return buildOpenApiDocument(registry, API_VERSION);
}
