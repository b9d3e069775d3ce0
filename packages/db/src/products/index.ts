export { type ExportRow, exportProductRows } from './export-rows';
export {
  DEFAULT_LIST_TUNING,
  type ListRequest,
  type ListTuning,
  listProducts,
  type StaleMarksHandler,
} from './list-products';
export * as productListSql from './list-sql';
export {
  createProductRepository,
  type ProductFields,
  type ProductRepository,
} from './product-repository';
export { type ProductRow, productFromRow } from './product-rows';
export { type RefreshOutcome, type RefreshResult, refreshSortMarks } from './refresh-sort-marks';
export { MARK_SCOPES, MARK_SPACING, type MarkScope, type MarkSet } from './sort-marks';
export { transactionExecutor } from './transaction-executor';
