import { createApiKeyRepository, openDatabase } from '@catalog/db';
import type { Role } from '@catalog/domain';
import { issueApiKey } from '../../api/src/auth/api-keys';

/**
 * An API key written straight to the database at `databaseUrl`, for an API running in a process of
 * its own (as `npm run apikey -- create` does): tests and benchmarks then call it as an integrator.
 */
export async function apiKeyInDatabase(databaseUrl: string, role: Role = 'admin'): Promise<{ key: string }> {
  const db = await openDatabase({ databaseUrl, poolSize: 1 });
  try {
    const { key } = await issueApiKey(createApiKeyRepository(db), { name: `test ${role}`, role, createdBy: null });
    return { key };
  } finally {
    await db.close();
  }
}
