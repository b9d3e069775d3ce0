export { type ExportRow, exportProductRows } from './export-rows';
export * as productListSql from './list-sql';
export {
  createProductRepository,
  type ListRequest,
  type ProductFields,
  type ProductRepository,
} from './product-repository';
export { type ProductRow, productFromRow } from './product-rows';
export { transactionExecutor } from './transaction-executor';
