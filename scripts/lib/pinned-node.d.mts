// Types of the plain-JS module next to this file (the launcher runs before TypeScript tooling is installed).
export declare function pinnedNodeBin(repoDir: string): string;
export declare function pinnedMajor(repoDir: string): number;
export declare function runsPinnedNode(repoDir: string, version?: string): boolean;
export declare function relaunchOnPinnedNode(
  repoDir: string,
  options?: { argv?: string[]; env?: NodeJS.ProcessEnv },
): { forward: (signal: NodeJS.Signals) => void; exited: Promise<number> };
