import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';

/**
 * The project runs on the Node that package.json pins through the npm `node` package, whatever
 * Node started the launcher: the very first `npm start` of a clone runs on the machine's Node,
 * installs, and then hands over to the pinned binary, which every child process inherits
 * (`process.execPath`).
 */
export function pinnedNodeBin(repoDir) {
  return join(repoDir, 'node_modules', 'node', 'bin', 'node');
}

/** The major version `engines.node` names ("24.x"). */
export function pinnedMajor(repoDir) {
  const { engines } = JSON.parse(readFileSync(join(repoDir, 'package.json'), 'utf8'));
  const major = Number.parseInt(String(engines?.node ?? '').replace(/^[^\d]*/, ''), 10);
  if (!Number.isInteger(major)) throw new Error('package.json must pin engines.node to one major, e.g. "24.x"');
  return major;
}

export function runsPinnedNode(repoDir, version = process.versions.node) {
  return Number.parseInt(version, 10) === pinnedMajor(repoDir);
}

/**
 * Runs this same launcher again on the pinned Node and resolves with its exit code. The child gets
 * its own process group and every signal the launcher receives, so a Ctrl-C still stops the stack
 * in order, exactly once.
 */
export function relaunchOnPinnedNode(repoDir, { argv = process.argv.slice(1), env = process.env } = {}) {
  const bin = pinnedNodeBin(repoDir);
  if (!existsSync(bin)) {
    throw new Error(`${bin} is missing after the install: the npm \`node\` package must be in allowScripts`);
  }
  const child = spawn(bin, argv, { cwd: process.cwd(), env, stdio: 'inherit', detached: true });
  return {
    forward(signal) {
      try {
        process.kill(child.pid, signal);
      } catch {
        // Already gone.
      }
    },
    exited: new Promise((resolve) => {
      child.on('error', (error) => {
        process.stderr.write(`could not start ${bin}: ${error.message}\n`);
        resolve(1);
      });
      child.on('exit', (code, signal) => resolve(code ?? 128 + (constants.signals[signal] ?? 0)));
    }),
  };
}
