import { join } from 'node:path';
import { findOnPath, isExecutableFile } from './which.mjs';

export const TEMPORAL_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

export const MISSING_TEMPORAL_MESSAGE =
  'The Temporal CLI is required but neither `temporal` nor `go` is on PATH: either install the Temporal CLI ' +
  'and put `temporal` on PATH, or install Go so that npm start can build it with ' +
  `\`go install ${TEMPORAL_MODULE}\` (or set TEMPORAL_ADDRESS to use a running Temporal server).`;

/** The repo's git-ignored tools folder; `go install` puts the CLI here so it is built once per clone. */
export function toolsBinDir(repoDir) {
  return join(repoDir, '.tools', 'bin');
}

/**
 * Where the `temporal` binary comes from, in order: PATH, the repo's tools folder, a `go install`
 * into that folder. Pinned to v1.5.1 because later tags carry a `replace` directive that
 * `go install module@version` refuses.
 */
export function resolveTemporal({ pathEnv, repoDir, isExecutable = isExecutableFile }) {
  const onPath = findOnPath('temporal', pathEnv, isExecutable);
  if (onPath) return { kind: 'found', bin: onPath, source: 'PATH' };
  const inTools = join(toolsBinDir(repoDir), 'temporal');
  if (isExecutable(inTools)) return { kind: 'found', bin: inTools, source: 'tools' };
  const go = findOnPath('go', pathEnv, isExecutable);
  if (go) return { kind: 'build', go, bin: inTools, gobin: toolsBinDir(repoDir) };
  return { kind: 'missing', message: MISSING_TEMPORAL_MESSAGE };
}
