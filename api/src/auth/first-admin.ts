import { randomUUID } from 'node:crypto';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { UserRepository } from '@catalog/db';
import type { Config } from '@catalog/domain';
import type { Logger } from '../logger';
import { hashPassword } from './passwords';
import { randomBase62 } from './tokens';

export const GENERATED_ADMIN_EMAIL = 'admin@localhost';
const GENERATED_PASSWORD_LENGTH = 24;

export type FirstAdminOptions = {
  /** ADMIN_EMAIL / ADMIN_PASSWORD: both or neither (the config checks). */
  email?: string | undefined;
  password?: string | undefined;
  /** Where a generated password is kept, readable by its owner only. */
  credentialsFile?: string | undefined;
};

/** What was created: `password` only when it was generated (nobody knows it yet). */
export type FirstAdmin = { email: string; password: string | null; credentialsFile: string | null };

/**
 * Creates the first admin when the database has no user at all, and nothing otherwise (null). The
 * password is ADMIN_PASSWORD, or generated: then it is written to the credentials file before the
 * user exists, so a crash in between never leaves an admin whose password nobody has.
 */
export async function ensureAdmin(users: UserRepository, options: FirstAdminOptions): Promise<FirstAdmin | null> {
  if ((await users.count()) > 0) return null;
  const given =
    options.email !== undefined && options.password !== undefined
      ? { email: options.email, password: options.password }
      : null;
  const email = given?.email ?? GENERATED_ADMIN_EMAIL;
  const password = given?.password ?? randomBase62(GENERATED_PASSWORD_LENGTH);
  const credentialsFile = !given && options.credentialsFile ? options.credentialsFile : null;
  if (credentialsFile) await writeCredentials(credentialsFile, email, password);
  const created = await users.createFirst({ id: randomUUID(), email, passwordHash: await hashPassword(password) });
  if (!created) {
    // Another process created the first user meanwhile: what was written signs nobody in.
    if (credentialsFile) await rm(credentialsFile, { force: true });
    return null;
  }
  return { email, password: given ? null : password, credentialsFile };
}

async function writeCredentials(file: string, email: string, password: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  // Removed first: `mode` applies only to a file being created, and an older one may be readable by others.
  await rm(file, { force: true });
  await writeFile(
    file,
    `# The first admin of the Catalog Importer. Sign in, change the password, then delete this file.\nemail: ${email}\npassword: ${password}\n`,
    { mode: 0o600, flag: 'wx' },
  );
  // The umask cannot widen 0600, but a filesystem that ignores `mode` on create gets it explicitly.
  await chmod(file, 0o600);
}

/**
 * At API start: the first admin, announced in the log. A generated password is logged only when
 * there is no credentials file to keep it (then it is the one place it exists).
 */
export async function ensureAdminAtStart(users: UserRepository, config: Config, logger: Logger): Promise<void> {
  const admin = await ensureAdmin(users, {
    email: config.ADMIN_EMAIL,
    password: config.ADMIN_PASSWORD,
    credentialsFile: config.ADMIN_CREDENTIALS_FILE,
  });
  if (!admin) return;
  if (admin.password === null) logger.info({ email: admin.email }, 'first admin created from ADMIN_EMAIL');
  else if (admin.credentialsFile) {
    logger.warn(
      { email: admin.email, file: admin.credentialsFile },
      'first admin created; its password is in the file',
    );
  } else {
    logger.warn(
      { email: admin.email, password: admin.password },
      'first admin created with this generated password, shown once: sign in and change it',
    );
  }
}
