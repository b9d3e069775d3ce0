import { join } from 'node:path';
import { toolsBinDir } from './temporal-binary.mjs';
import { findOnPath, isExecutableFile } from './which.mjs';

export const RCLONE_MODULE = 'github.com/rclone/rclone@v1.76.0';

export const MISSING_RCLONE_MESSAGE =
  'S3 upload-store tests skipped: neither `rclone` nor `go` is on PATH. Install rclone, or Go so that ' +
  `npm test can build it once with \`go install ${RCLONE_MODULE}\` into .tools/bin.`;

/**
 * Where the `rclone` binary comes from, in order: PATH, the repo's tools folder, a `go install`
 * into that folder (about 6 minutes, once per clone). Tests use its `serve s3` as a real
 * S3-compatible server.
 */
export function resolveRclone({ pathEnv, repoDir, isExecutable = isExecutableFile }) {
  const onPath = findOnPath('rclone', pathEnv, isExecutable);
  if (onPath) return { kind: 'found', bin: onPath, source: 'PATH' };
  const inTools = join(toolsBinDir(repoDir), 'rclone');
  if (isExecutable(inTools)) return { kind: 'found', bin: inTools, source: 'tools' };
  const go = findOnPath('go', pathEnv, isExecutable);
  if (go) return { kind: 'build', go, bin: inTools, gobin: toolsBinDir(repoDir) };
  return { kind: 'missing', message: MISSING_RCLONE_MESSAGE };
}
