export { type ReviewChangeRow, reviewChangesPage } from './review-changes';
export { importTables } from './tables';
