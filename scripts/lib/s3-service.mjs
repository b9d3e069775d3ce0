import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { freePorts, waitForPort } from './ports.mjs';
import { RCLONE_MODULE, resolveRclone } from './rclone-binary.mjs';

export const S3_TEST_BUCKET = 'catalog-test';

/** The `rclone` CLI: found, or built once with `go install`; null (with the reason) when neither works. */
export async function obtainRclone(ctx) {
  const resolution = resolveRclone({ pathEnv: ctx.env.PATH, repoDir: ctx.repoDir });
  if (resolution.kind === 'found') return { bin: resolution.bin };
  if (resolution.kind === 'missing') return { bin: null, reason: resolution.message };
  ctx.log.info(`rclone not found: building it once with \`go install ${RCLONE_MODULE}\` into .tools/bin`);
  await ctx.supervisor.run('go', resolution.go, ['install', RCLONE_MODULE], {
    env: { ...ctx.env, GOBIN: resolution.gobin },
  });
  return { bin: resolution.bin };
}

/**
 * `rclone serve s3` over a folder of the run's temp dir, on a free port, with fresh credentials:
 * a real S3-compatible server for the upload store's tests (each top-level folder is a bucket).
 */
export async function startS3Server(ctx, { bin, tempDir }) {
  const root = join(tempDir, 's3');
  await mkdir(join(root, S3_TEST_BUCKET), { recursive: true });
  const [port] = await freePorts(1);
  const accessKeyId = `test${randomBytes(6).toString('hex')}`;
  const secretAccessKey = randomBytes(18).toString('hex');
  const args = ['serve', 's3', root, '--addr', `127.0.0.1:${port}`, '--auth-key', `${accessKeyId},${secretAccessKey}`];
  // No rclone.conf is needed for a local folder; --quiet drops the notice that there is none.
  const handle = ctx.supervisor.start('rclone', bin, [...args, '--quiet']);
  await waitForPort(`rclone serve s3 on port ${port}`, port, { isAlive: handle.isRunning });
  ctx.log.info(`S3: rclone serve s3 on port ${port}`);
  return { endpoint: `http://127.0.0.1:${port}`, bucket: S3_TEST_BUCKET, accessKeyId, secretAccessKey };
}

/**
 * What tests see: S3_TEST_* always (or S3_TEST_UNAVAILABLE with the reason), so the store's own
 * tests can run against S3 in every run; and with UPLOAD_STORE=s3 the app's S3_* settings too, so
 * every test file runs its uploads through rclone (never a real bucket by accident).
 */
export function s3TestEnv(env, server, reason) {
  if (!server) {
    if (env.UPLOAD_STORE === 's3') throw new Error(`UPLOAD_STORE=s3 needs rclone for the tests. ${reason}`);
    return { S3_TEST_UNAVAILABLE: reason };
  }
  const settings = {
    S3_ENDPOINT: server.endpoint,
    S3_BUCKET: server.bucket,
    S3_REGION: 'us-east-1',
    S3_ACCESS_KEY_ID: server.accessKeyId,
    S3_SECRET_ACCESS_KEY: server.secretAccessKey,
    // rclone serves buckets as paths; virtual-host names would need DNS for <bucket>.127.0.0.1.
    S3_FORCE_PATH_STYLE: 'true',
  };
  const testSettings = Object.fromEntries(
    Object.entries(settings).map(([name, value]) => [`S3_TEST_${name.slice(3)}`, value]),
  );
  return { ...testSettings, ...(env.UPLOAD_STORE === 's3' ? { ...settings, S3_PREFIX: '' } : {}) };
}
