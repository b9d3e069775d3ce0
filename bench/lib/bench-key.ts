import { createApiKeyRepository, openDatabase } from '@catalog/db';
import type { Role } from '@catalog/domain';
import { issueApiKey } from '../../api/src/auth/api-keys';

/** An API key with `role` in the bench's own database, for routes that need one (the benchmark acts as an integrator). */
export async function benchApiKey(databaseUrl: string, role: Role): Promise<string> {
  const db = await openDatabase({ databaseUrl, poolSize: 1 });
  try {
    const { key } = await issueApiKey(createApiKeyRepository(db), { name: `bench ${role}`, role, createdBy: null });
    return key;
  } finally {
    await db.close();
  }
}
