import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Middleware } from 'koa';
import serve from 'koa-static';

/**
 * Serves the built Vue app, and its index.html for any other GET that wants HTML, so client-side
 * routes survive a reload. API paths never fall through to it.
 */
export function webAppMiddleware(distDir: string): Middleware {
  const root = path.resolve(distDir);
  const staticFiles = serve(root, { index: 'index.html', maxage: 0 });
  const indexFile = path.join(root, 'index.html');
  return async function webApp(ctx, next) {
    if (ctx.path.startsWith('/api/') || ctx.path.startsWith('/health/') || ctx.path === '/metrics') return next();
    await staticFiles(ctx, async () => {});
    if (ctx.body != null || ctx.status !== 404 || ctx.method !== 'GET' || !ctx.accepts('html')) return next();
    if (!existsSync(indexFile)) {
      ctx.status = 503;
      ctx.type = 'text';
      ctx.body = `The web app is not built (no ${indexFile}). Run: npm run build`;
      return;
    }
    ctx.path = '/';
    await staticFiles(ctx, async () => {});
  };
}
