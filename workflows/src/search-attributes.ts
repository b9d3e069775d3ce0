import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes every job workflow carries, so operators can list them in the Temporal
 * UI or CLI (`temporal workflow list --query "CatalogJobKind='import'"`). They must exist in the
 * namespace before a job starts: temporal.yaml registers them on the dev server, and deploy/README.md
 * gives the one command for a cluster.
 */
export const catalogSearchAttributes = {
  jobKind: defineSearchAttributeKey('CatalogJobKind', SearchAttributeType.KEYWORD),
  fileName: defineSearchAttributeKey('CatalogFileName', SearchAttributeType.KEYWORD),
} as const;

/** The `CatalogJobKind` values. */
export const jobKindAttribute = { import: 'import', bulkDelete: 'delete-all', undo: 'undo' } as const;
