import { type Product, productListSchema, productSchema } from '@catalog/domain';
import { z } from 'zod';

/** Small typed calls to /api/products for tests and benchmarks. */
export function productsApi(baseUrl: string) {
  const url = (path: string) => `${baseUrl}/api/products${path}`;
  const json = (method: string, body: unknown, headers: Record<string, string> = {}) => ({
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return {
    create: (body: unknown) => fetch(url(''), json('POST', body)),
    patch: (id: number, body: unknown, headers: Record<string, string> = {}) =>
      fetch(url(`/${id}`), json('PATCH', body, headers)),
    remove: (id: number, headers: Record<string, string> = {}) => fetch(url(`/${id}`), { method: 'DELETE', headers }),
    get: (id: number | string) => fetch(url(`/${id}`)),
    list: (query = '') => fetch(url(query ? `?${query}` : '')),
    deleteAll: (body: unknown) => fetch(url(''), json('DELETE', body)),
    exportCsv: (query = '') => fetch(url(`/export.csv${query ? `?${query}` : ''}`)),

    async created(body: Record<string, unknown>): Promise<Product> {
      const response = await fetch(url(''), json('POST', body));
      const parsed: unknown = await response.json();
      if (response.status !== 201) throw new Error(`create answered ${response.status}: ${JSON.stringify(parsed)}`);
      return productSchema.parse(parsed);
    },
    async page(query = '') {
      const response = await fetch(url(query ? `?${query}` : ''));
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
