/** The worker's workflow bundle entry: every export here is a workflow type. */
export { BulkDeleteWorkflow } from './bulk-delete.workflow';
export { HousekeepingWorkflow } from './housekeeping.workflow';
export { ImportCsvWorkflow } from './import-csv.workflow';
export { UndoImportWorkflow } from './undo/undo-import.workflow';
export { WebhookLaneWorkflow } from './webhooks/lane.workflow';
