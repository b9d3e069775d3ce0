import { Migration20261122000000_foundation } from './Migration20261122000000_foundation';
import { Migration20261122000100_imports } from './Migration20261122000100_imports';
import { Migration20261122000150_outbox } from './Migration20261122000150_outbox';
import { Migration20261122000200_products } from './Migration20261122000200_products';
import { Migration20261122000300_webhooks } from './Migration20261122000300_webhooks';
import { Migration20261201000000_import_error_raw } from './Migration20261201000000_import_error_raw';
import { Migration20261210000000_import_undo_written_version } from './Migration20261210000000_import_undo_written_version';
import { Migration20261215000000_job_workflow_id } from './Migration20261215000000_job_workflow_id';
import { Migration20261216000000_price_sort_no_price_last } from './Migration20261216000000_price_sort_no_price_last';
import { Migration20261217000000_users_sessions_api_keys } from './Migration20261217000000_users_sessions_api_keys';
import { Migration20261218000000_encrypt_webhook_secrets } from './Migration20261218000000_encrypt_webhook_secrets';
import { Migration20261219000000_audit_log } from './Migration20261219000000_audit_log';
import { Migration20261221000000_user_oidc_identity } from './Migration20261221000000_user_oidc_identity';
import { Migration20261222000000_uploads_mapping_presets } from './Migration20261222000000_uploads_mapping_presets';
import { Migration20261223000000_import_undo_jobs } from './Migration20261223000000_import_undo_jobs';
import { Migration20261224000000_webhook_lanes } from './Migration20261224000000_webhook_lanes';
import { Migration20261225000000_import_review } from './Migration20261225000000_import_review';
import { Migration20261226000000_sort_indexes_index_only } from './Migration20261226000000_sort_indexes_index_only';
import { Migration20261227000000_webhook_message_event_order } from './Migration20261227000000_webhook_message_event_order';
import { Migration20261228000000_search_lowercase } from './Migration20261228000000_search_lowercase';
import { Migration20261229000000_product_sort_marks } from './Migration20261229000000_product_sort_marks';

/** Listed explicitly, in name order, so migrations run the same from source (tsx) and in any bundle. */
export const migrationsList = [
  { name: 'Migration20261122000000_foundation', class: Migration20261122000000_foundation },
  { name: 'Migration20261122000100_imports', class: Migration20261122000100_imports },
  { name: 'Migration20261122000150_outbox', class: Migration20261122000150_outbox },
  { name: 'Migration20261122000200_products', class: Migration20261122000200_products },
  { name: 'Migration20261122000300_webhooks', class: Migration20261122000300_webhooks },
  { name: 'Migration20261201000000_import_error_raw', class: Migration20261201000000_import_error_raw },
  {
    name: 'Migration20261210000000_import_undo_written_version',
    class: Migration20261210000000_import_undo_written_version,
  },
  { name: 'Migration20261215000000_job_workflow_id', class: Migration20261215000000_job_workflow_id },
  { name: 'Migration20261216000000_price_sort_no_price_last', class: Migration20261216000000_price_sort_no_price_last },
  {
    name: 'Migration20261217000000_users_sessions_api_keys',
    class: Migration20261217000000_users_sessions_api_keys,
  },
  {
    name: 'Migration20261218000000_encrypt_webhook_secrets',
    class: Migration20261218000000_encrypt_webhook_secrets,
  },
  { name: 'Migration20261219000000_audit_log', class: Migration20261219000000_audit_log },
  { name: 'Migration20261221000000_user_oidc_identity', class: Migration20261221000000_user_oidc_identity },
  {
    name: 'Migration20261222000000_uploads_mapping_presets',
    class: Migration20261222000000_uploads_mapping_presets,
  },
  { name: 'Migration20261223000000_import_undo_jobs', class: Migration20261223000000_import_undo_jobs },
  { name: 'Migration20261224000000_webhook_lanes', class: Migration20261224000000_webhook_lanes },
  { name: 'Migration20261225000000_import_review', class: Migration20261225000000_import_review },
  {
    name: 'Migration20261226000000_sort_indexes_index_only',
    class: Migration20261226000000_sort_indexes_index_only,
  },
  {
    name: 'Migration20261227000000_webhook_message_event_order',
    class: Migration20261227000000_webhook_message_event_order,
  },
  { name: 'Migration20261228000000_search_lowercase', class: Migration20261228000000_search_lowercase },
  { name: 'Migration20261229000000_product_sort_marks', class: Migration20261229000000_product_sort_marks },
];
