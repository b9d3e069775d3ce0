import { userSchema } from '@catalog/domain';
import { z } from 'zod';
import { errorResponses, jsonContent, type OpenAPIRegistry } from '../../openapi/registry';
import { requiresRole } from '../../openapi/security';
import { createUserBody, updateUserBody, userIdParams } from './schema';

export function documentUsers(registry: OpenAPIRegistry): void {
  const json = <S extends z.ZodType>(schema: S) => ({ body: { content: { 'application/json': { schema } } } });
  const tags = ['Access'];
  const user = { description: 'The user (never the password)', ...jsonContent(userSchema) };
  registry.registerPath({
    method: 'get',
    path: '/api/users',
    operationId: 'listUsers',
    tags,
    summary: 'Every user',
    ...requiresRole('admin'),
    responses: {
      200: { description: 'Users', ...jsonContent(z.object({ items: z.array(userSchema) })) },
      ...errorResponses(401, 403),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/users',
    operationId: 'createUser',
    tags,
    summary: 'Add a user with an initial password (at least 12 characters)',
    ...requiresRole('admin', 'Emails are unique whatever their case: a taken one is a 409.'),
    request: json(createUserBody),
    responses: { 201: user, ...errorResponses(400, 401, 403, 409) },
  });
  registry.registerPath({
    method: 'patch',
    path: '/api/users/{id}',
    operationId: 'updateUser',
    tags,
    summary: 'Change a user’s role, or disable (signs them out) or enable them',
    ...requiresRole('admin', 'Demoting or disabling the last enabled admin is a 409.'),
    request: { params: userIdParams, ...json(updateUserBody) },
    responses: { 200: user, ...errorResponses(400, 401, 403, 404, 409) },
  });
  registry.registerPath({
    method: 'delete',
    path: '/api/users/{id}',
    operationId: 'deleteUser',
    tags,
    summary: 'Delete a user and their sessions; API keys they made keep working',
    ...requiresRole('admin', 'Deleting the last enabled admin is a 409.'),
    request: { params: userIdParams },
    responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 403, 404, 409) },
  });
}
