// Types of the plain-JS module next to this file (the launcher runs before TypeScript tooling is installed).
export declare const TEST_ROOTS: string[];
export declare function findTestFiles(input: { repoDir: string; baseDir: string; targets: string[] }): string[];
