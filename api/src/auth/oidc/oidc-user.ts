import { randomUUID } from 'node:crypto';
import type { UserRecord, UserRepository } from '@catalog/db';
import type { OidcSettings } from '@catalog/domain';
import type { Logger } from '../../logger';
import { SsoRefusal, type VerifiedClaims } from './oidc-client';
import { roleFromClaims } from './role-claim';

const EMAIL = /^[^\s@]+@[^\s@]+$/;

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
    if (claims.email_verified === true) user = await users.linkOidcIdentityByEmail(email, identity);
    user ??=
      (await users.createFromOidc({ id: randomUUID(), email, role }, identity)) ??
      // The same person's first sign-on in two tabs at once: the other one created them.
      (await users.findByOidcIdentity(identity));
    if (!user) throw new SsoRefusal('sso_email_taken', `A user with the email ${email} exists and was not linked`);
  }
  if (user.disabledAt) throw new SsoRefusal('sso_disabled', `The user ${user.email} is disabled`);
  if (user.role === role) return user;

  const outcome = await users.update(user.id, { role });
  if ('user' in outcome) return outcome.user;
  if (outcome.refused === 'not_found') throw new SsoRefusal('sso_failed', `The user ${user.id} was deleted meanwhile`);
  // The provider demotes the last enabled admin: they keep admin so the catalog stays administrable.
  logger.warn(
    { userId: user.id, claimedRole: role, refused: outcome.refused },
    'single sign-on role change refused; the user keeps their role',
  );
  return user;
}
