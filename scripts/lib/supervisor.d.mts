// Types of the plain-JS module next to this file (the launcher runs before TypeScript tooling is installed).
import type { ChildProcess } from 'node:child_process';

export type ExitResult = { code: number | null; signal: NodeJS.Signals | null; error?: Error };
export type ChildHandle = {
  name: string;
  child: ChildProcess;
  exited: Promise<ExitResult>;
  stop: () => Promise<void>;
  isRunning: () => boolean;
  pid: () => number | undefined;
};
export type Supervisor = {
  start: (
    name: string,
    command: string,
    args: string[],
    options?: { env?: NodeJS.ProcessEnv; output?: 'prefix' | 'inherit'; critical?: boolean; restart?: boolean },
  ) => ChildHandle;
  run: (name: string, command: string, args: string[], options?: { env?: NodeJS.ProcessEnv }) => Promise<void>;
  beginShutdown: () => void;
  terminateAll: () => void;
};
export declare function createSupervisor(options: {
  cwd: string;
  cleanup: { defer: (name: string, step: () => unknown) => void };
  onUnexpectedExit: (name: string, how: string) => void;
  restartCrashed?: boolean;
  log?: { info: (message: string) => void; error: (message: string) => void };
}): Supervisor;
export declare function describeExit(result: ExitResult): string;
