import type { AuthProviders, Role } from '@catalog/domain';
import type { ApiClient } from './client';

export interface SignedInUser {
  id: string;
  email: string;
  role: Role;
}

/** Quiet: the sign-in form shows the refusal itself. */
export const signIn = (api: ApiClient, email: string, password: string): Promise<{ user: SignedInUser }> =>
  api.request('/api/auth/sign-in', { method: 'POST', body: { email, password }, quiet: true });

export const signOut = (api: ApiClient): Promise<void> => api.request('/api/auth/sign-out', { method: 'POST' });

/** Quiet: a 401 here only means "not signed in". */
export const fetchMe = (api: ApiClient): Promise<{ user: SignedInUser }> =>
  api.request('/api/auth/me', { quiet: true });

/** Quiet: without it the page still offers password sign-in. */
export const fetchAuthProviders = (api: ApiClient): Promise<AuthProviders> =>
  api.request('/api/auth/providers', { quiet: true });
