// Types of the plain-JS module next to this file (the launcher runs before TypeScript tooling is installed).
export declare const TEMPORAL_MODULE: string;
export declare const MISSING_TEMPORAL_MESSAGE: string;
export declare function toolsBinDir(repoDir: string): string;
export type TemporalResolution =
  | { kind: 'found'; bin: string; source: 'PATH' | 'tools' }
  | { kind: 'build'; go: string; bin: string; gobin: string }
  | { kind: 'missing'; message: string };
export declare function resolveTemporal(input: {
  pathEnv: string | undefined;
  repoDir: string;
  isExecutable?: (path: string) => boolean;
}): TemporalResolution;
