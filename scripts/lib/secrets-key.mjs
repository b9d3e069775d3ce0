import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where `npm start` / `npm run dev` keep the SECRETS_KEY they generated, relative to the repo. */
export const DEV_SECRETS_KEY_FILE = '.data/secrets.key';

/**
 * The SECRETS_KEY of `npm start` / `npm run dev`: SECRETS_KEY when set; else, outside production,
 * the key in .data/secrets.key, generated there (readable by the owner only) on the first run. In
 * production the launcher makes none: a key lost with the machine would lose every stored secret,
 * so the config check asks for one. `create: false` only reads (the `npm run secrets` wrapper).
 */
export function devSecretsKey(repoDir, env, { create = true } = {}) {
  if (env.SECRETS_KEY || env.NODE_ENV === 'production') return env.SECRETS_KEY || undefined;
  const file = join(repoDir, DEV_SECRETS_KEY_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  if (!create) return undefined;
  mkdirSync(dirname(file), { recursive: true });
  try {
    // 'wx': of two launchers starting at once, the second reads the first one's key.
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  } catch (error) {
    if (error?.code !== 'EEXIST') throw error;
  }
  return readFileSync(file, 'utf8').trim();
}
