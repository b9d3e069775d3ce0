// Types of the plain-JS module next to this file (the launcher runs before TypeScript tooling is installed).
import type { TemporalSettings } from './temporal-settings.mjs';

export declare function readPort(env: Record<string, string | undefined>, name: string, fallback: number): number;
export declare function appPorts(
  env: Record<string, string | undefined>,
  temporalSettings: TemporalSettings,
): { api: number; postgres: number; redis: number; temporal: number; temporalUi: number; webDev: number };
export declare function loadTemporalSettings(repoDir: string): Promise<TemporalSettings>;
export declare function validateAppConfig(repoDir: string, env: Record<string, string | undefined>): Promise<void>;
