import type { Config } from '@catalog/domain';

/** How a browser on this machine names it; Koa's `ctx.hostname` keeps the brackets of an IPv6 address. */
const LOCALHOST_FORMS = ['localhost', '127.0.0.1', '[::1]'];

export type AllowedHosts = {
  /** Host names (without port) the API answers for. */
  names: ReadonlySet<string>;
  /** PUBLIC_URL's origin (`https://catalog.example.com`), when set. */
  publicOrigin: string | undefined;
  /** Production without PUBLIC_URL: only the localhost forms are answered. */
  localOnly: boolean;
};

/**
 * The hosts a request may name, from configuration, once at start. PUBLIC_URL's host and
 * ALLOWED_HOSTS always; the localhost forms outside production, or in production when no
 * PUBLIC_URL says what else to answer for. Ports do not matter: a rebinding page names its own host.
 */
export function allowedHosts(config: Pick<Config, 'NODE_ENV' | 'PUBLIC_URL' | 'ALLOWED_HOSTS'>): AllowedHosts {
  const publicUrl = config.PUBLIC_URL === undefined ? undefined : new URL(config.PUBLIC_URL);
  const localOnly = config.NODE_ENV === 'production' && publicUrl === undefined;
  const names = new Set(config.ALLOWED_HOSTS);
  if (publicUrl) names.add(publicUrl.hostname);
  if (config.NODE_ENV !== 'production' || localOnly) for (const name of LOCALHOST_FORMS) names.add(name);
  return { names, publicOrigin: publicUrl?.origin, localOnly };
}

/** Compares two origins as browsers serialise them (case, default ports); an unparsable one matches nothing. */
export function sameOrigin(a: string, b: string): boolean {
  if (!URL.canParse(a) || !URL.canParse(b)) return false;
  const origin = new URL(a).origin;
  return origin !== 'null' && origin === new URL(b).origin;
}
