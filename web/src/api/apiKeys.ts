import type { ApiKeyDto, Role } from '@catalog/domain';
import type { ApiClient } from './client';

export interface NewApiKey {
  name: string;
  role: Role;
  /** Unset: the key does not expire. */
  expiresInDays?: number;
}

export type CreatedApiKey = ApiKeyDto & { key: string };

export const listApiKeys = (api: ApiClient): Promise<{ items: ApiKeyDto[] }> => api.request('/api/api-keys');

/** Quiet: the form shows what was wrong beside the field. */
export const createApiKey = (api: ApiClient, key: NewApiKey): Promise<CreatedApiKey> =>
  api.request('/api/api-keys', { method: 'POST', body: key, quiet: true });

export const revokeApiKey = (api: ApiClient, id: string): Promise<void> =>
  api.request(`/api/api-keys/${encodeURIComponent(id)}`, { method: 'DELETE' });
