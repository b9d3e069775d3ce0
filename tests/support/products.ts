import { type Product, productListSchema, productSchema } from '@catalog/domain';
import { z } from 'zod';
import type { Api } from './api';

/** Small typed calls to /api/products for tests and benchmarks, with `api`'s credentials. */
export function productsApi(api: Api) {
  const path = (rest: string) => `/api/products${rest}`;
  const json = (method: string, body: unknown, headers: Record<string, string> = {}) => ({
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return {
    create: (body: unknown) => api.fetch(path(''), json('POST', body)),
    patch: (id: number, body: unknown, headers: Record<string, string> = {}) =>
      api.fetch(path(`/${id}`), json('PATCH', body, headers)),
    remove: (id: number, headers: Record<string, string> = {}) =>
      api.fetch(path(`/${id}`), { method: 'DELETE', headers }),
    get: (id: number | string) => api.fetch(path(`/${id}`)),
    list: (query = '') => api.fetch(path(query ? `?${query}` : '')),
    deleteAll: (body: unknown) => api.fetch(path(''), json('DELETE', body)),
    exportCsv: (query = '') => api.fetch(path(`/export.csv${query ? `?${query}` : ''}`)),

    async created(body: Record<string, unknown>): Promise<Product> {
      const response = await api.fetch(path(''), json('POST', body));
      const parsed: unknown = await response.json();
      if (response.status !== 201) throw new Error(`create answered ${response.status}: ${JSON.stringify(parsed)}`);
      return productSchema.parse(parsed);
    },
    async page(query = '') {
      const response = await api.fetch(path(query ? `?${query}` : ''));
      const parsed: unknown = await response.json();
      if (response.status !== 200) throw new Error(`list answered ${response.status}: ${JSON.stringify(parsed)}`);
      return productListSchema.parse(parsed);
    },
  };
}

export const errorOf = async (response: Response) =>
  z
    .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
    .parse(await response.json()).error;

export const productOf = async (response: Response) => productSchema.parse(await response.json());
