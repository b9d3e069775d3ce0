export { type ExportRow, exportProductRows } from './export-rows';
export { DEFAULT_LIST_TUNING, type ListRequest, type ListTuning, listProducts } from './list-products';
export * as productListSql from './list-sql';
export {
  createProductRepository,
  type ProductFields,
  type ProductRepository,
} from './product-repository';
export { type ProductRow, productFromRow } from './product-rows';
export { transactionExecutor } from './transaction-executor';
