import { randomUUID } from 'node:crypto';
import type { UserRecord, UserRepository } from '@catalog/db';
import type { AuditChange, OidcSettings } from '@catalog/domain';
import type { Logger } from '../../logger';
import { SsoRefusal, type VerifiedClaims } from './oidc-client';
import { roleFromClaims } from './role-claim';

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** Writes an audit line for a change a sign-on made to `user` (made, linked, role from the claim). */
export type RecordUserChange = (user: UserRecord, change: Omit<AuditChange, 'target'>) => Promise<void>;

/**
 * The catalog user a verified sign-on stands for: the one linked to the provider's issuer and
 * subject; else the one with the same email, linked now if the provider verified that email; else
 * a new user without a password. The role follows the provider's claim at every sign-on.
 */
export async function userForSignOn(
  users: UserRepository,
  verified: VerifiedClaims,
  settings: Pick<OidcSettings, 'roleClaim' | 'roleMap' | 'defaultRole'>,
  logger: Logger,
  recordChange: RecordUserChange,
): Promise<UserRecord> {
  const { claims } = verified;
  const role = roleFromClaims(claims, settings);
  if (!role) throw new SsoRefusal('sso_no_role', `No value of the ${settings.roleClaim} claim maps to a role`);
  const identity = { issuer: verified.issuer, subject: verified.subject };

  let user = await users.findByOidcIdentity(identity);
  if (!user) {
    const email = typeof claims.email === 'string' ? claims.email.trim() : '';
    if (!EMAIL.test(email)) throw new SsoRefusal('sso_no_email', 'The ID token has no email claim');
    // Linking on an unverified email would hand an existing account to whoever typed that address at the provider.
    // Some providers (Cognito) send the flag as the string "true".
    if (claims.email_verified === true || claims.email_verified === 'true') {
      user = await users.linkOidcIdentityByEmail(email, identity);
      if (user) await recordChange(user, { action: 'user.oidc_linked', details: { issuer: identity.issuer } });
    }
    if (!user) {
      user = await users.createFromOidc({ id: randomUUID(), email, role }, identity);
      if (user) await recordChange(user, { action: 'user.created', details: { role, via: 'oidc' } });
    }
    // The same person's first sign-on in two tabs at once: the other one created them.
    user ??= await users.findByOidcIdentity(identity);
    if (!user) throw new SsoRefusal('sso_email_taken', `A user with the email ${email} exists and was not linked`);
  }
  if (user.disabledAt) throw new SsoRefusal('sso_disabled', `The user ${user.email} is disabled`);
  if (user.role === role) return user;

  const outcome = await users.update(user.id, { role });
  if ('user' in outcome) {
    await recordChange(outcome.user, {
      action: 'user.role_changed',
      details: { from: user.role, to: role, via: 'oidc' },
    });
    return outcome.user;
  }
  if (outcome.refused === 'not_found') throw new SsoRefusal('sso_failed', `The user ${user.id} was deleted meanwhile`);
  // The provider demotes the last enabled admin: they keep admin so the catalog stays administrable.
  logger.warn(
    { userId: user.id, claimedRole: role, refused: outcome.refused },
    'single sign-on role change refused; the user keeps their role',
  );
  return user;
}
