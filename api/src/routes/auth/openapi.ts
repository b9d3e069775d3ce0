import { meSchema } from '@catalog/domain';
import type { z } from 'zod';
import { clientErrorRange, errorResponses, jsonContent, type OpenAPIRegistry } from '../../openapi/registry';
import { requiresSession } from '../../openapi/security';
import { changePasswordBody, signInBody } from './schema';

export function documentAuth(registry: OpenAPIRegistry): void {
  const json = <S extends z.ZodType>(schema: S) => ({ body: { content: { 'application/json': { schema } } } });
  const tags = ['Access'];
  const me = { description: 'The signed-in user', ...jsonContent(meSchema) };
  registry.registerPath({
    method: 'post',
    path: '/api/auth/sign-in',
    operationId: 'signIn',
    tags,
    summary: 'Sign in with email and password; sets the `catalog_session` cookie',
    description:
      'A wrong email, a wrong password and a disabled account get the same 401, in the same time. ' +
      'The session ends after SESSION_IDLE_HOURS without a request, and SESSION_MAX_DAYS after sign-in. ' +
      'Too many failures for the email or from the address answer 429 `too_many_attempts` with Retry-After, ' +
      'even with the right password, until the window (SIGN_IN_WINDOW_MINUTES) ends.',
    request: json(signInBody),
    responses: {
      200: {
        ...me,
        headers: {
          'Set-Cookie': {
            description: '`catalog_session`; HttpOnly; SameSite=Lax; Path=/; Secure over https',
            schema: { type: 'string' },
          },
        },
      },
      ...errorResponses(400, 401, 429),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/auth/sign-out',
    operationId: 'signOut',
    tags,
    summary: 'End the current session (if any) and clear its cookie',
    responses: { 204: { description: 'Signed out' }, ...clientErrorRange },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/auth/me',
    operationId: 'getMe',
    tags,
    summary: 'The signed-in user',
    ...requiresSession('Who the session cookie belongs to; 401 when there is no valid session.'),
    responses: { 200: me, ...errorResponses(401) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/auth/password',
    operationId: 'changePassword',
    tags,
    summary: 'Change your own password',
    ...requiresSession(
      'Needs the current password; the new one has at least 12 characters. Your other sessions are signed out.',
    ),
    request: json(changePasswordBody),
    responses: { 204: { description: 'Changed' }, ...errorResponses(400, 401, 429) },
  });
}
