// Types of the plain-JS module next to this file (the launcher runs before TypeScript tooling is installed).
export declare function isWebBuildStale(input: { builtAt: number | undefined; sourcesChangedAt: number }): boolean;
export declare function webDistDir(repoDir: string): string;
export declare function buildWeb(ctx: object, options: { always: boolean }): Promise<void>;
