import { type OidcSettings, type Role, roleAtLeast } from '@catalog/domain';

/** The claim at `path` (dots reach into objects: `realm_access.roles`), as a list of strings. */
function claimValues(claims: Record<string, unknown>, path: string): string[] {
  let value: unknown = claims;
  for (const key of path.split('.')) {
    value =
      typeof value === 'object' && value !== null && Object.hasOwn(value, key) ? Reflect.get(value, key) : undefined;
  }
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * The catalog role the provider's claims give: the highest role any claim value maps to, else the
 * default role; null (refused) when nothing maps and the default is `none`.
 */
export function roleFromClaims(
  claims: Record<string, unknown>,
  settings: Pick<OidcSettings, 'roleClaim' | 'roleMap' | 'defaultRole'>,
): Role | null {
  let best: Role | null = null;
  for (const value of claimValues(claims, settings.roleClaim)) {
    const role = Object.hasOwn(settings.roleMap, value) ? settings.roleMap[value] : undefined;
    if (role && (best === null || roleAtLeast(role, best))) best = role;
  }
  return best ?? settings.defaultRole;
}
