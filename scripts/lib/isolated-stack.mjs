import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findChromium } from './chromium.mjs';
import { loadTemporalSettings } from './launcher-config.mjs';
import { freePorts } from './ports.mjs';
import { provideThrowawayDatabase } from './postgres-service.mjs';
import { provideRedis } from './redis-service.mjs';
import { obtainRclone, s3TestEnv, startS3Server } from './s3-service.mjs';
import { settleAll } from './settle.mjs';
import { obtainTemporalBinary, startTemporalServer } from './temporal-service.mjs';
import { webDistDir } from './web-build.mjs';

async function provideTemporal(ctx, { bin, settings, namespace, port, uiPort }) {
  if (ctx.env.TEMPORAL_ADDRESS) {
    ctx.log.info('Temporal: using TEMPORAL_ADDRESS');
    return { address: ctx.env.TEMPORAL_ADDRESS, uiUrl: ctx.env.TEMPORAL_UI_URL };
  }
  const server = await startTemporalServer(ctx, { bin, settings, namespace, port, uiPort, persistent: false });
  ctx.log.info(`Temporal: in-memory dev server on ${server.address}`);
  return server;
}

/**
 * The bootstrap of `npm test` and `npm run bench`: its own free ports, a throwaway database and a
 * temp dir for everything else, so it never touches .data/ and can run next to `npm start`.
 * Returns the environment the tests or benchmarks run with.
 */
export async function bootIsolatedStack(ctx, { nodeEnv }) {
  const tempDir = mkdtempSync(join(tmpdir(), 'catalog-run-'));
  // The embedded cluster runs as the `postgres` user when we are root, and must reach its data dir inside.
  chmodSync(tempDir, 0o755);
  ctx.cleanup.defer('temp dir', () => rm(tempDir, { recursive: true, force: true }));
  const settings = await loadTemporalSettings(ctx.repoDir);
  const namespace = ctx.env.TEMPORAL_NAMESPACE || settings.namespace;
  // Always resolved, even with TEMPORAL_ADDRESS: tests that restart Temporal start their own dev server.
  const temporalBin = await obtainTemporalBinary(ctx);
  // After temporal, not beside it: two `go install`s at once would starve a small machine.
  const rclone = await obtainRclone(ctx);
  if (!rclone.bin) ctx.log.info(rclone.reason);
  const s3 = rclone.bin ? await startS3Server(ctx, { bin: rclone.bin, tempDir }) : null;
  const s3Env = s3TestEnv(ctx.env, s3, rclone.reason);
  // With UPLOAD_STORE=s3 the migrations' config check must already see the bucket.
  const servicesCtx = { ...ctx, env: { ...ctx.env, ...s3Env } };
  // Headless Temporal serves no UI on uiPort: it only gives the api a well-formed TEMPORAL_UI_URL to render.
  const [pgPort, temporalPort, uiPort, redisPort] = await freePorts(4);
  const [database, temporal, redisUrl] = await settleAll([
    provideThrowawayDatabase(servicesCtx, { tempDir, port: pgPort }),
    provideTemporal(ctx, { bin: temporalBin, settings, namespace, port: temporalPort, uiPort }),
    provideRedis(ctx, { port: redisPort }),
  ]);
  const chromium = findChromium(ctx.env);
  const env = {
    ...ctx.env,
    NODE_ENV: nodeEnv,
    LOG_LEVEL: ctx.env.LOG_LEVEL || 'warn',
    DATABASE_URL: database.url,
    TEST_DATABASE_TEMPLATE: database.template,
    TEST_DATABASE_ADMIN_URL: database.adminUrl,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: namespace,
    TEMPORAL_BIN: temporalBin,
    WEB_DIST_DIR: webDistDir(ctx.repoDir),
    UPLOAD_DIR: join(tempDir, 'uploads'),
    ...s3Env,
    // A key of the run's own: its databases are thrown away with it.
    SECRETS_KEY: ctx.env.SECRETS_KEY || randomBytes(32).toString('base64'),
    // Tests and benchmarks deliver webhooks to receivers on 127.0.0.1.
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    // Every worker process a test or benchmark starts takes a free port for its health endpoints.
    WORKER_HEALTH_PORT: '0',
    ...(temporal.uiUrl ? { TEMPORAL_UI_URL: temporal.uiUrl } : {}),
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    ...(chromium ? { CHROMIUM_PATH: chromium } : {}),
  };
  return { env, tempDir };
}
