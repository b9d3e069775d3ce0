import type { Product, ProductList } from '@catalog/domain';
import type { ApiClient } from './client';

/** The product fields a person edits; the API applies the importer's rules to them. */
export interface ProductFields {
  sku: string;
  name: string;
  description: string;
  price: string | null;
  active: boolean;
}

const productPath = (id: number): string => `/api/products/${id}`;

/** Quiet: the grid reports failures itself, since a stale cursor in a shared link is not one. */
export const listProducts = (api: ApiClient, query: URLSearchParams, signal?: AbortSignal): Promise<ProductList> =>
  api.request<ProductList>(`/api/products?${query.toString()}`, { signal, quiet: true });

/** Quiet: the form shows field errors and conflicts in place. */
export const createProduct = (api: ApiClient, fields: ProductFields): Promise<Product> =>
  api.request<Product>('/api/products', { method: 'POST', body: fields, quiet: true });

export const updateProduct = (
  api: ApiClient,
  id: number,
  version: number,
  changes: Partial<ProductFields>,
): Promise<Product> =>
  api.request<Product>(productPath(id), { method: 'PATCH', body: { ...changes, version }, quiet: true });

export const deleteProduct = (api: ApiClient, id: number): Promise<unknown> =>
  api.request<unknown>(productPath(id), { method: 'DELETE' });

export const startDeleteAll = (api: ApiClient): Promise<{ jobId: string }> =>
  api.request<{ jobId: string }>('/api/products', { method: 'DELETE', body: { confirm: 'DELETE ALL' } });

export const cancelJob = (api: ApiClient, id: string): Promise<unknown> =>
  api.request<unknown>(`/api/jobs/${encodeURIComponent(id)}/cancel`, { method: 'POST' });

export const catalogEventsUrl = '/api/products/events';
export const exportUrl = (query: URLSearchParams): string => `/api/products/export.csv?${query.toString()}`;
