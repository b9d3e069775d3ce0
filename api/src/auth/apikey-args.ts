import { parseArgs } from 'node:util';
import { type Role, roleSchema } from '@catalog/domain';
import { z } from 'zod';
import { apiKeyName } from '../routes/api-keys/schema';

export type ApiKeyCommand =
  | { command: 'create'; name: string; role: Role; expiresInDays: number | undefined }
  | { command: 'list' }
  | { command: 'revoke'; id: string };

export const APIKEY_USAGE = `usage:
  npm run apikey -- create --name NAME --role viewer|editor|admin [--expires-in 90d]
  npm run apikey -- list
  npm run apikey -- revoke --id ID`;

export class UsageError extends Error {}

// `90d` or `90`: whole days, as the API's expiresInDays.
const expiresIn = z
  .string()
  .regex(/^\d+d?$/, 'must be a number of days, like 90d')
  .transform((value) => Number.parseInt(value, 10))
  .pipe(z.number().int().min(1, 'must be at least 1d').max(3650, 'must be at most 3650d'));

function parsed<S extends z.ZodType>(schema: S, value: unknown, flag: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new UsageError(`${flag} ${result.error.issues[0]?.message ?? 'is invalid'}`);
}

/** The command line of `npm run apikey`, checked with the same rules as the API's. */
export function parseApiKeyArgs(argv: string[]): ApiKeyCommand {
  let values: Record<string, string | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        role: { type: 'string' },
        'expires-in': { type: 'string' },
        id: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const [command, ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`unexpected argument ${rest[0]}`);
  switch (command) {
    case 'create':
      return {
        command,
        name: parsed(apiKeyName, values.name, '--name'),
        role: parsed(roleSchema, values.role, '--role'),
        expiresInDays:
          values['expires-in'] === undefined ? undefined : parsed(expiresIn, values['expires-in'], '--expires-in'),
      };
    case 'list':
      return { command };
    case 'revoke':
      return {
        command,
        id: parsed(z.uuid({ message: 'must be a key id (UUID), as `list` shows' }), values.id, '--id'),
      };
    default:
      throw new UsageError(command ? `unknown command ${command}` : 'a command is required');
  }
}
