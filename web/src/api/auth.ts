import type { AuthProviders, Role } from '@catalog/domain';
import type { ApiClient } from './client';

export interface SignedInUser {
  id: string;
  email: string;
  role: Role;
}

/** Quiet: the sign-in form shows the refusal itself. */
export const signIn = (api: ApiClient, email: string, password: string): Promise<{ user: SignedInUser }> =>
  api.request('/api/auth/sign-in', { method: 'POST', body: { email, password }, quiet: true, anonymous: true });

export const signOut = (api: ApiClient): Promise<void> =>
  api.request('/api/auth/sign-out', { method: 'POST', anonymous: true });

/** Quiet: a 401 here only means "not signed in". */
export const fetchMe = (api: ApiClient): Promise<{ user: SignedInUser }> =>
  api.request('/api/auth/me', { quiet: true, anonymous: true });

/** Quiet: the form shows what was wrong beside the field. Signs out the user's other sessions. */
export const changePassword = (api: ApiClient, currentPassword: string, newPassword: string): Promise<void> =>
  api.request('/api/auth/password', { method: 'POST', body: { currentPassword, newPassword }, quiet: true });

/** Quiet and anonymous: public, and without it the page still offers password sign-in. */
export const fetchAuthProviders = (api: ApiClient): Promise<AuthProviders> =>
  api.request('/api/auth/providers', { quiet: true, anonymous: true });
