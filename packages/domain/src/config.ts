import { z } from 'zod';
import { ROLES, type Role } from './auth';

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

const DURATION_UNITS_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** A duration as people write it ("24h", "30m", "90s", "500ms"), as milliseconds; at least 1 s, at most 30 days. */
const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)$/, 'must be a whole number with a unit: ms, s, m, h or d (e.g. 24h)')
  .transform((value) => {
    const unit = (value.match(/(ms|s|m|h|d)$/)?.[1] ?? 'ms') as keyof typeof DURATION_UNITS_MS;
    return Number.parseInt(value, 10) * DURATION_UNITS_MS[unit];
  })
  .pipe(
    z
      .number()
      .min(1_000, 'must be at least 1s')
      .max(30 * 86_400_000, 'must be at most 30d'),
  );

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

/**
 * A 32-byte key written as 64 hex digits or as base64 (standard or URL-safe), decoded to its bytes.
 * atob, not Buffer: this package must load in the browser too.
 */
const secretsKey = z.string().transform((value, context) => {
  const text = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) {
    return Uint8Array.from(text.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
  }
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    if (binary.length === 32) return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    // Not base64 either: reported below.
  }
  context.addIssue({
    code: 'custom',
    message: 'must be 32 bytes, as 64 hex digits or base64 (openssl rand -base64 32)',
  });
  return z.NEVER;
});

/**
 * `claim value=role` pairs, comma-separated (`catalog-admins=admin,catalog-editors=editor`). Empty:
 * the claim names the role itself (`admin`, `editor`, `viewer`).
 */
const oidcRoleMap = z.string().transform((value, context): Record<string, Role> => {
  const pairs = value
    .split(',')
    .map((pair) => pair.trim())
    .filter((pair) => pair !== '');
  if (pairs.length === 0) return Object.fromEntries(ROLES.map((role) => [role, role]));
  const map: Record<string, Role> = {};
  for (const pair of pairs) {
    const at = pair.lastIndexOf('=');
    const claimValue = pair.slice(0, at).trim();
    const role = ROLES.find((known) => known === pair.slice(at + 1).trim());
    if (at < 1 || !claimValue || !role) {
      context.addIssue({
        code: 'custom',
        message: `must be claim=role pairs separated by commas, with role viewer, editor or admin (not "${pair}")`,
      });
      return z.NEVER;
    }
    map[claimValue] = role;
  }
  return map;
});

/** Defaults of IMPORT_MAX_CELL_BYTES / IMPORT_MAX_RECORD_BYTES, also for imports started before the limits existed. */
export const IMPORT_LIMIT_DEFAULTS = { maxCellBytes: 64 * 1024, maxRecordBytes: 1024 ** 2 } as const;

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  // Loopback unless deployed: `npm start` on a laptop must not serve the network. Compose and k8s set 0.0.0.0.
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  // The address people open (scheme and host); the API answers only for its host (plus localhost forms
  // outside production) and takes it as the one origin allowed to send state-changing requests with a cookie.
  PUBLIC_URL: url(['http:', 'https:']).optional(),
  // More host names the API answers for (any port), comma-separated: e.g. an internal name.
  ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((host) => host.trim().toLowerCase())
        .filter((host) => host !== ''),
    )
    .pipe(
      z.array(
        z.string().regex(/^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/, 'must be host names without scheme or port'),
      ),
    ),
  // Believe X-Forwarded-Proto/-Host/-For only behind a proxy that sets them; anyone else could forge them.
  TRUST_PROXY: booleanString.default(false),
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
  UPLOAD_STORE: z.enum(['fs', 's3'], { message: 'must be fs or s3' }).default('fs'),
  UPLOAD_DIR: z.string().min(1).default('.data/uploads'),
  S3_BUCKET: z.string().min(1).optional(),
  // Keys go under the prefix as `<prefix>/<key>`, however the prefix was written.
  S3_PREFIX: z
    .string()
    .default('')
    .transform((value) => value.replace(/^\/+|\/+$/g, ''))
    .transform((value) => (value ? `${value}/` : '')),
  S3_ENDPOINT: url(['http:', 'https:']).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: booleanString.default(false),
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 ** 3),
  WEB_DIST_DIR: z.string().min(1).default('web/dist'),
  IMPORT_CHUNK_ROWS: z.coerce.number().int().min(100).max(1_000_000).default(50_000),
  // How long an import waits in review for apply or discard before it is discarded: "24h", "30m", "90s", "500ms".
  IMPORT_REVIEW_TIMEOUT: duration.default(24 * 3_600_000),
  IMPORT_PARALLELISM: z.coerce.number().int().min(1).max(32).default(2),
  // A cell or row above these is one error row, never a failed import; they also bound the worker's memory per row.
  IMPORT_MAX_CELL_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 ** 2)
    .default(IMPORT_LIMIT_DEFAULTS.maxCellBytes),
  IMPORT_MAX_RECORD_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(256 * 1024 ** 2)
    .default(IMPORT_LIMIT_DEFAULTS.maxRecordBytes),
  SSE_POLL_MS: z.coerce.number().int().min(50).max(10_000).default(500),
  // On SIGTERM the API answers readiness with 503 for this long before it stops accepting, so a load
  // balancer takes it out of rotation first; then in-flight requests get SHUTDOWN_TIMEOUT_MS to finish.
  SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(120_000).default(0),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(25_000),
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: booleanString.default(false),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  WEBHOOK_DISABLE_AFTER_HOURS: z.coerce.number().positive().default(24),
  // Messages a lane takes per batch activity, and how many of them it sends at once to one endpoint.
  WEBHOOK_LANE_BATCH: z.coerce.number().int().min(1).max(1000).default(100),
  WEBHOOK_ENDPOINT_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  // How long a lane's batch stays open after its last send, listening for new messages: a steady
  // stream then costs one activity a minute instead of a Temporal signal and activity per message.
  WEBHOOK_LANE_LINGER_MS: z.coerce.number().int().min(0).max(60_000).default(10_000),
  // The circuit breaker: this many failed attempts in a row pause a lane for the cool-down (doubling
  // after each failed probe, up to 10 minutes or the cool-down if longer).
  WEBHOOK_BREAKER_FAILURES: z.coerce.number().int().min(1).max(100_000).default(10),
  WEBHOOK_BREAKER_COOLDOWN_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  // Dispatched outbox events, delivery attempts, import error rows and finished jobs' working data older
  // than this are pruned by the hourly housekeeping (delivered webhook messages too). At least 2 days:
  // a delivery retries for 24 h, reading its event each attempt.
  RETENTION_DAYS: z.coerce.number().int().min(2).max(3650).default(30),
  // A completed import can be undone for this long; then the hourly housekeeping prunes what it changed
  // (previous values, inserted ids) and the Undo button goes away.
  UNDO_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
  // The worker's /health/* and /metrics; 0 picks a free port (tests).
  WORKER_HEALTH_PORT: port.default(3001),
  // Tracing is on only when this is set (the collector's base URL; spans go to <url>/v1/traces).
  OTEL_EXPORTER_OTLP_ENDPOINT: url(['http:', 'https:']).optional(),
  // Unset: each process names itself (catalog-api, catalog-worker).
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  // The first admin, created by the api when no user exists yet; both or neither. Neither:
  // `admin@localhost` with a generated password, written to ADMIN_CREDENTIALS_FILE (owner-only;
  // `npm start` sets it under .data/ and prints it), or, with no file, logged once.
  ADMIN_EMAIL: z
    .string()
    .trim()
    .pipe(z.email({ message: 'must be an email address' }))
    .optional(),
  ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  ADMIN_CREDENTIALS_FILE: z.string().min(1).optional(),
  // A session ends after this long without a request, and in any case this long after sign-in.
  SESSION_IDLE_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(12),
  SESSION_MAX_DAYS: z.coerce.number().positive().max(365).default(7),
  // Encrypts webhook signing secrets at rest (AES-256-GCM). Required in production; `npm start` and
  // `npm run dev` keep a generated one in .data/secrets.key. During a key rotation the old key goes
  // in SECRETS_KEY_PREVIOUS until `npm run secrets -- rotate` has re-encrypted every secret.
  SECRETS_KEY: secretsKey.optional(),
  SECRETS_KEY_PREVIOUS: secretsKey.optional(),
  // Single sign-on with OpenID Connect: on when the issuer, client id and secret are all set (all or
  // none). The provider sends people back to PUBLIC_URL/api/auth/oidc/callback, so PUBLIC_URL is required.
  OIDC_ISSUER_URL: url(['http:', 'https:']).optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  // What the sign-in button says: "Sign in with <name>".
  OIDC_DISPLAY_NAME: z.string().trim().min(1).max(60).default('SSO'),
  OIDC_SCOPES: z
    .string()
    .trim()
    .default('openid email profile')
    .refine((scopes) => scopes.split(/\s+/).includes('openid'), 'must include openid (space-separated scopes)'),
  // The ID token claim that carries the role (a string or a list, e.g. groups); dots reach into
  // objects (`realm_access.roles`). Its values are mapped by OIDC_ROLE_MAP; the highest mapped role wins.
  OIDC_ROLE_CLAIM: z.string().trim().min(1).default('catalog_role'),
  OIDC_ROLE_MAP: oidcRoleMap.default(Object.fromEntries(ROLES.map((role) => [role, role]))),
  // The role of someone whose claim maps to none; `none` (the default) refuses them: with a provider
  // shared by many organisations, a default role would let anyone it knows read the catalog.
  OIDC_DEFAULT_ROLE: z
    .enum([...ROLES, 'none'], { message: 'must be viewer, editor, admin or none' })
    .default('none')
    .transform((value): Role | null => (value === 'none' ? null : value)),
  // Sign-in failures counted in a fixed window per account (the email, lower-cased) and per client
  // address; beyond either, sign-in answers 429 with Retry-After, even with the right password.
  SIGN_IN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).max(1000).default(5),
  SIGN_IN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(20),
  SIGN_IN_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  // Per user (or API key): uploads being received at once by one API process, and bytes uploaded per hour.
  UPLOADS_IN_FLIGHT_PER_USER: z.coerce.number().int().min(1).max(100).default(2),
  UPLOAD_BYTES_PER_HOUR_PER_USER: z.coerce
    .number()
    .int()
    .positive()
    .default(2 * 1024 ** 3),
  // Server-Sent Events streams one user (or API key) may hold open on one API process.
  SSE_STREAMS_PER_USER: z.coerce.number().int().min(1).max(1000).default(10),
  // How long a request may take to be answered (504 deadline_exceeded after), and to send its headers.
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  // Uploads get this long to arrive and be stored instead; it is also Node's whole-request limit.
  UPLOAD_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(10_000)
    .max(24 * 3_600_000)
    .default(3_600_000),
  // The API's own connections only (the worker's long statements are bounded by Temporal's timeouts); 0 turns one off.
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(20_000),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  // CSV exports and import error reports stream on a pool of their own, so slow readers cannot take
  // the connections every other request needs; when it is full they are refused (503), never queued.
  EXPORT_POOL_SIZE: z.coerce.number().int().min(1).max(50).default(4),
  // A download still streaming after this long ends with an error and gives its connection back.
  EXPORT_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(24 * 3_600_000)
    .default(600_000),
});

/** Rules across variables; they run once every variable parsed on its own. */
const checkedConfigSchema = configSchema.superRefine((config, context) => {
  if (config.UPLOAD_STORE === 's3' && !config.S3_BUCKET) {
    context.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'is required when UPLOAD_STORE=s3' });
  }
  // One key without the other is a typo, not a wish for the SDK's default credentials.
  if (Boolean(config.S3_ACCESS_KEY_ID) !== Boolean(config.S3_SECRET_ACCESS_KEY)) {
    const missing = config.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID';
    context.addIssue({ code: 'custom', path: [missing], message: 'is required with the other S3 key' });
  }
  if (Boolean(config.ADMIN_EMAIL) !== Boolean(config.ADMIN_PASSWORD)) {
    const missing = config.ADMIN_EMAIL ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL';
    context.addIssue({ code: 'custom', path: [missing], message: 'is required with the other ADMIN_ variable' });
  }
  const oidc = {
    OIDC_ISSUER_URL: config.OIDC_ISSUER_URL,
    OIDC_CLIENT_ID: config.OIDC_CLIENT_ID,
    OIDC_CLIENT_SECRET: config.OIDC_CLIENT_SECRET,
  };
  const oidcSet = Object.entries(oidc).filter(([, value]) => value !== undefined);
  if (oidcSet.length > 0 && oidcSet.length < 3) {
    const named = oidcSet.map(([name]) => name).join(' and ');
    for (const [name, value] of Object.entries(oidc)) {
      if (value === undefined) {
        context.addIssue({
          code: 'custom',
          path: [name],
          message: `is required with ${named} (single sign-on needs all three)`,
        });
      }
    }
  }
  if (oidcSet.length === 3 && !config.PUBLIC_URL) {
    context.addIssue({
      code: 'custom',
      path: ['PUBLIC_URL'],
      message: 'is required with OIDC_ISSUER_URL: the provider sends people back to PUBLIC_URL/api/auth/oidc/callback',
    });
  }
  // An issuer over plain http would hand out sign-ins anyone on the path can forge; loopback is for local trials.
  if (config.NODE_ENV === 'production' && config.OIDC_ISSUER_URL && !isHttpsOrLoopback(config.OIDC_ISSUER_URL)) {
    context.addIssue({ code: 'custom', path: ['OIDC_ISSUER_URL'], message: 'must use https when NODE_ENV=production' });
  }
  // A generated key would be lost with the container, and every stored secret with it.
  if (config.NODE_ENV === 'production' && !config.SECRETS_KEY) {
    context.addIssue({
      code: 'custom',
      path: ['SECRETS_KEY'],
      message: 'is required when NODE_ENV=production (32 bytes: openssl rand -base64 32)',
    });
  }
});

function isHttpsOrLoopback(value: string): boolean {
  const url = new URL(value);
  return url.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

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

/** Their values never appear in an error message: a near-miss key or password is still a secret. */
const SECRET_VARIABLES = new Set([
  'SECRETS_KEY',
  'SECRETS_KEY_PREVIOUS',
  'ADMIN_PASSWORD',
  'S3_SECRET_ACCESS_KEY',
  'OIDC_CLIENT_SECRET',
]);

/** Treats empty strings as unset, so `PORT=` in a .env file means "use the default". */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = checkedConfigSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? 'config');
    const value = present[name];
    if (value === undefined) {
      // A custom issue on an unset variable comes from a rule across variables, which says when.
      return `Invalid configuration: ${name} ${issue.code === 'custom' ? issue.message : 'is required'}`;
    }
    const shown = SECRET_VARIABLES.has(name) ? '(hidden)' : JSON.stringify(value);
    return `Invalid configuration: ${name}=${shown} ${issue.message}`;
  });
  throw new ConfigError(problems);
}

/**
 * The API and the worker seal and open webhook secrets, so they need SECRETS_KEY in every
 * environment (the launcher provides one outside production); other processes do not.
 */
export function loadServerConfig(env: Record<string, string | undefined>): Config {
  const config = loadConfig(env);
  if (!config.SECRETS_KEY) {
    throw new ConfigError([
      'Invalid configuration: SECRETS_KEY is required (32 bytes: openssl rand -base64 32; npm start keeps one in .data/secrets.key)',
    ]);
  }
  return config;
}

/** Single sign-on's settings when it is on (issuer, client id and secret all set), else null. */
export function oidcSettings(config: Config) {
  const { OIDC_ISSUER_URL: issuerUrl, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret, PUBLIC_URL } = config;
  if (!issuerUrl || !clientId || !clientSecret || !PUBLIC_URL) return null;
  return {
    issuerUrl,
    clientId,
    clientSecret,
    redirectUri: new URL('/api/auth/oidc/callback', PUBLIC_URL).href,
    displayName: config.OIDC_DISPLAY_NAME,
    scopes: config.OIDC_SCOPES,
    roleClaim: config.OIDC_ROLE_CLAIM,
    roleMap: config.OIDC_ROLE_MAP,
    defaultRole: config.OIDC_DEFAULT_ROLE,
  };
}
export type OidcSettings = NonNullable<ReturnType<typeof oidcSettings>>;

export const configKeys = Object.keys(configSchema.shape) as (keyof Config)[];
