// Types of the plain-JS module next to this file (the launcher runs before TypeScript tooling is installed).
export declare const SERVER_ENTRIES: { api: string; worker: string; migrate: string; apikey: string; secrets: string };
export type ProcessName = keyof typeof SERVER_ENTRIES;
export declare function compiledEntry(name: ProcessName): string;
export declare const RUNTIME_NODE_FLAGS: string[];
export declare function compiledCommand(name: ProcessName): string[];
export declare function isServerBuildStale(repoDir: string): boolean;
export declare function workflowSdkVersion(repoDir: string): string;
export declare function buildServer(options: {
  repoDir: string;
  run: (name: string, command: string, args: string[]) => Promise<void>;
  log: (message: string) => void;
  typecheck?: boolean;
}): Promise<void>;
