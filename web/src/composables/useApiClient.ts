import { inject } from 'vue';
import { type ApiClient, apiClientKey } from '../api/client';

export function useApiClient(): ApiClient {
  const client = inject(apiClientKey);
  if (!client) throw new Error('No API client provided: main.ts provides it under apiClientKey.');
  return client;
}
