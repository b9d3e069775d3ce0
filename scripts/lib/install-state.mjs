import { createHash } from 'node:crypto';

/** Where `npm start` records the lockfile it last installed; inside node_modules so deleting that resets it. */
export const INSTALL_STAMP = 'node_modules/.catalog-install-stamp';

export function hashLockfile(contents) {
  return createHash('sha256').update(contents).digest('hex');
}

/**
 * 'missing' and 'stale' both mean "run npm ci": a stamp that differs from the lockfile's hash means
 * someone pulled or changed dependencies since the last install this launcher completed.
 */
export function installState({ hasNodeModules, lockHash, stampHash }) {
  if (!hasNodeModules) return 'missing';
  if (stampHash?.trim() !== lockHash) return 'stale';
  return 'fresh';
}
