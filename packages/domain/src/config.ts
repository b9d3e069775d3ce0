import { z } from 'zod';

/**
 * Every setting of every process, parsed once at start. Nothing else reads `process.env`.
 * The launcher (scripts/start.mjs) fills DATABASE_URL / TEMPORAL_ADDRESS for embedded services
 * before it starts the api and the worker.
 */
const booleanString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce
  .number({ message: 'must be a port number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: port.default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: url(['postgres:', 'postgresql:']),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:/]+:\d{1,5}$/, 'must be host:port')
    .default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('catalog'),
  TEMPORAL_UI_URL: url(['http:', 'https:']).default('http://127.0.0.1:8233'),
  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  UPLOAD_DIR: z.string().min(1).default('.data/uploads'),
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 ** 3),
  WEB_DIST_DIR: z.string().min(1).default('web/dist'),
  IMPORT_CHUNK_ROWS: z.coerce.number().int().min(100).max(1_000_000).default(50_000),
  IMPORT_PARALLELISM: z.coerce.number().int().min(1).max(32).default(2),
  SSE_POLL_MS: z.coerce.number().int().min(50).max(10_000).default(500),
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: booleanString.default(false),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  WEBHOOK_DISABLE_AFTER_HOURS: z.coerce.number().positive().default(24),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Treats empty strings as unset, so `PORT=` in a .env file means "use the default". */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? 'config');
    const value = present[name];
    if (value === undefined) return `Invalid configuration: ${name} is required`;
    return `Invalid configuration: ${name}=${JSON.stringify(value)} ${issue.message}`;
  });
  throw new ConfigError(problems);
}

export const configKeys = Object.keys(configSchema.shape) as (keyof Config)[];
