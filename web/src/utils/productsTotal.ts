import type { ProductList } from '@catalog/domain';
import { formatCount } from './format';

/** The API's total and how it relates to the true count: exact, a capped count, or an estimate. */
export type ListTotal = Pick<ProductList, 'total' | 'totalRelation'>;

/**
 * An estimate's last digits are noise, so it is shown to two significant digits ("about 47,000"),
 * as search engines do; small ones stay as they are.
 */
export function roundEstimate(value: number): number {
  if (value < 100) return Math.max(0, Math.round(value));
  const step = 10 ** (Math.floor(Math.log10(value)) - 1);
  return Math.round(value / step) * step;
}

/** "47,123", "10,000+" or "about 47,000". */
export function formatTotal({ total, totalRelation }: ListTotal): string {
  if (totalRelation === 'gte') return `${formatCount(total)}+`;
  if (totalRelation === 'about') return `about ${formatCount(roundEstimate(total))}`;
  return formatCount(total);
}

/** Pages in the list when that is known (exact total), else null. */
export function exactPageCount({ total, totalRelation }: ListTotal, pageSize: number): number | null {
  return totalRelation === 'eq' ? Math.max(1, Math.ceil(total / pageSize)) : null;
}

/** "page 3 of 12", "page 3 of about 940", or just "page 3" when the total is only a lower bound. */
export function formatPagePosition(list: ListTotal, page: number, pageSize: number): string {
  const position = `page ${formatCount(page)}`;
  if (list.totalRelation === 'gte') return position;
  const exact = exactPageCount(list, pageSize);
  if (exact !== null) return `${position} of ${formatCount(exact)}`;
  // An estimate below the page already reached would read as nonsense ("page 9 of about 8").
  return `${position} of about ${formatCount(roundEstimate(Math.max(page, Math.ceil(list.total / pageSize))))}`;
}
