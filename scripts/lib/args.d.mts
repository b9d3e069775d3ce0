// Types of the plain-JS module next to this file (the launcher runs before TypeScript tooling is installed).
export declare function parseLauncherArgs(argv: string[]): {
  mode: 'start' | 'dev' | 'test' | 'bench';
  targets: string[];
  options: string[];
};
