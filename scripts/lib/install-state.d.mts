// Types of the plain-JS module next to this file (the launcher runs before TypeScript tooling is installed).
export declare const INSTALL_STAMP: string;
export declare function hashLockfile(contents: string | Buffer): string;
export declare function installState(input: {
  hasNodeModules: boolean;
  lockHash: string;
  stampHash: string | undefined;
}): 'missing' | 'stale' | 'fresh';
