import type { ApiClient } from './client';

/** `GET /api/meta`: where the operator tools live, for the links in the header. */
export interface Meta {
  temporalUiUrl: string;
  docsUrl: string;
  version: string;
}

export const getMeta = (api: ApiClient): Promise<Meta> => api.request<Meta>('/api/meta');
