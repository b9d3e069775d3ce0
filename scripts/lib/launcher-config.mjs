import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTemporalSettings } from './temporal-settings.mjs';

/** Same wording as loadConfig's problems, so every bad setting reads alike whoever checks it. */
export function readPort(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`Invalid configuration: ${name}=${JSON.stringify(raw)} must be a port number`);
  }
  return port;
}

/** Ports of `npm start` / `npm run dev`; test and bench runs pick free ones instead. */
export function appPorts(env, temporalSettings) {
  return {
    api: readPort(env, 'PORT', 3000),
    postgres: readPort(env, 'EMBEDDED_PG_PORT', 5433),
    redis: readPort(env, 'EMBEDDED_REDIS_PORT', 6380),
    temporal: readPort(env, 'TEMPORAL_PORT', temporalSettings.port),
    temporalUi: readPort(env, 'TEMPORAL_UI_PORT', temporalSettings.uiPort),
    webDev: readPort(env, 'WEB_DEV_PORT', 5173),
  };
}

/** Needs the `yaml` package, so only after dependencies are installed. */
export async function loadTemporalSettings(repoDir) {
  const { parse } = await import('yaml');
  return parseTemporalSettings(parse(readFileSync(join(repoDir, 'temporal.yaml'), 'utf8')));
}

/**
 * Runs the processes' own config parser (packages/domain) over the environment they will get, so a
 * bad setting stops start-up before any server is launched, with one line per problem.
 */
export async function validateAppConfig(repoDir, env) {
  const { tsImport } = await import('tsx/esm/api');
  const { loadConfig, ConfigError } = await tsImport(join(repoDir, 'packages/domain/src/config.ts'), import.meta.url);
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new Error(error.problems.join('\n'));
    throw error;
  }
}
