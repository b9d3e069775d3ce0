// Types of the plain-JS module next to this file (the launcher runs before TypeScript tooling is installed).
export type TemporalSettings = {
  namespace: string;
  ip: string;
  port: number;
  uiPort: number;
  dbFile: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'never';
  dynamicConfig: Record<string, unknown>;
  searchAttributes: Record<string, string>;
};
export declare function parseTemporalSettings(doc: unknown): TemporalSettings;
export declare function startDevArgs(
  settings: TemporalSettings,
  options: { namespace: string; port: number; uiPort: number; dbFile: string | null; headless: boolean },
): string[];
