import helmet, { type HelmetOptions } from 'helmet';
import type { Middleware } from 'koa';
import type { AllowedHosts } from './allowed-hosts';

type Directives = Record<string, string[]>;

/**
 * The built app loads only its own files (web/dist has no inline script or style: Vite emits
 * `<script src>` and `<link rel=stylesheet>`, and Vue's `:style` bindings go through the CSSOM,
 * which CSP does not govern), talks only to this origin (fetch, EventSource) and is never framed.
 */
const APP_DIRECTIVES: Directives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'"],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/**
 * Swagger UI's stylesheet draws its icons as `data:` SVG images; it needs nothing else (its React
 * styles go through the CSSOM). Sent with the one HTML page at /api/docs and nowhere else.
 */
const DOCS_PAGE_DIRECTIVES: Directives = { ...APP_DIRECTIVES, 'img-src': ["'self'", 'data:'] };
const DOCS_PAGE = '/api/docs';

/**
 * Security headers on every response (API, web app, errors), set with helmet and every choice
 * spelled out. HSTS and upgrade-insecure-requests only when PUBLIC_URL is https: over plain http
 * (localhost) they would break the app.
 */
export function securityHeadersMiddleware(hosts: AllowedHosts): Middleware {
  const https = hosts.publicOrigin?.startsWith('https:') === true;
  const options = (directives: Directives): HelmetOptions => ({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: https ? { ...directives, 'upgrade-insecure-requests': [] } : directives,
    },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
    originAgentCluster: true,
    referrerPolicy: { policy: 'no-referrer' },
    // A year, this host only: the parent domain's other sites are not ours to pin to https.
    strictTransportSecurity: https ? { maxAge: 365 * 24 * 60 * 60, includeSubDomains: false } : false,
    xContentTypeOptions: true,
    xDnsPrefetchControl: { allow: false },
    xDownloadOptions: true,
    xFrameOptions: { action: 'deny' },
    xPermittedCrossDomainPolicies: { permittedPolicies: 'none' },
    xPoweredBy: true,
    // '0': the legacy XSS auditor is itself exploitable; the CSP does the job.
    xXssProtection: true,
  });
  const appHeaders = helmet(options(APP_DIRECTIVES));
  const docsPageHeaders = helmet(options(DOCS_PAGE_DIRECTIVES));
  return async function securityHeaders(ctx, next) {
    const headers = ctx.path === DOCS_PAGE ? docsPageHeaders : appHeaders;
    await new Promise<void>((resolve, reject) =>
      headers(ctx.req, ctx.res, (error?: unknown) => (error ? reject(error) : resolve())),
    );
    await next();
  };
}
