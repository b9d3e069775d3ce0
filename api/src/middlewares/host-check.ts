import { errors } from '@catalog/domain';
import type { Middleware } from 'koa';
import type { Logger } from '../logger';
import type { AllowedHosts } from './allowed-hosts';

/**
 * Answers only requests that name one of our hosts (else 421), so a DNS-rebinding page, whose
 * requests carry its own host name, cannot read or write through a visitor's browser.
 * `/health/*` and `/metrics` answer any host: orchestrators and scrapers call them by pod IP, and
 * they change nothing.
 */
export function hostCheckMiddleware(hosts: AllowedHosts, logger: Logger): Middleware {
  if (hosts.localOnly) {
    logger.warn(
      { allowedHosts: [...hosts.names] },
      'PUBLIC_URL is not set: answering only requests for localhost; set PUBLIC_URL to the address people open',
    );
  }
  return async function hostCheck(ctx, next) {
    if (ctx.path.startsWith('/health/') || ctx.path === '/metrics') return next();
    if (!hosts.names.has(ctx.hostname.toLowerCase())) throw errors.misdirectedRequest(ctx.host || '(none)');
    await next();
  };
}
