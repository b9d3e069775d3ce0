import type { Role, UserDto } from '@catalog/domain';
import type { ApiClient } from './client';

export interface NewUser {
  email: string;
  password: string;
  role: Role;
}

export const listUsers = (api: ApiClient): Promise<{ items: UserDto[] }> => api.request('/api/users');

/** Quiet: the form shows what was wrong beside the field. */
export const createUser = (api: ApiClient, user: NewUser): Promise<UserDto> =>
  api.request('/api/users', { method: 'POST', body: user, quiet: true });

export const updateUser = (api: ApiClient, id: string, change: { role?: Role; disabled?: boolean }): Promise<UserDto> =>
  api.request(`/api/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: change });

export const deleteUser = (api: ApiClient, id: string): Promise<void> =>
  api.request(`/api/users/${encodeURIComponent(id)}`, { method: 'DELETE' });
