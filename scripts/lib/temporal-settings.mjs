/**
 * temporal.yaml → `temporal server start-dev` arguments. Kept apart from process handling so the
 * translation is testable and a typo in the file fails start-up with a message naming the key.
 */
const logLevels = ['debug', 'info', 'warn', 'error', 'never'];
const searchAttributeTypes = ['Keyword', 'Text', 'Int', 'Double', 'Bool', 'Datetime', 'KeywordList'];

function fail(problem) {
  throw new Error(`temporal.yaml: ${problem}`);
}

function portValue(value, key) {
  if (!Number.isInteger(value) || value < 1 || value > 65535) fail(`${key} must be a port number (got ${value})`);
  return value;
}

function stringValue(value, key) {
  if (typeof value !== 'string' || value === '') fail(`${key} must be a non-empty string`);
  return value;
}

export function parseTemporalSettings(doc) {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) fail('must be a mapping of settings');
  const known = new Set([
    'namespace',
    'ip',
    'port',
    'uiPort',
    'dbFile',
    'logLevel',
    'dynamicConfig',
    'searchAttributes',
  ]);
  for (const key of Object.keys(doc)) if (!known.has(key)) fail(`unknown setting ${key}`);
  const logLevel = doc.logLevel ?? 'warn';
  if (!logLevels.includes(logLevel)) fail(`logLevel must be one of ${logLevels.join(', ')}`);
  const dynamicConfig = doc.dynamicConfig ?? {};
  if (typeof dynamicConfig !== 'object' || Array.isArray(dynamicConfig)) fail('dynamicConfig must be a mapping');
  const searchAttributes = doc.searchAttributes ?? {};
  if (typeof searchAttributes !== 'object' || Array.isArray(searchAttributes))
    fail('searchAttributes must be a mapping');
  for (const [name, type] of Object.entries(searchAttributes)) {
    if (!searchAttributeTypes.includes(type))
      fail(`searchAttributes.${name} must be one of ${searchAttributeTypes.join(', ')}`);
  }
  return {
    namespace: stringValue(doc.namespace ?? 'default', 'namespace'),
    ip: stringValue(doc.ip ?? '127.0.0.1', 'ip'),
    port: portValue(doc.port ?? 7233, 'port'),
    uiPort: portValue(doc.uiPort ?? 8233, 'uiPort'),
    dbFile: stringValue(doc.dbFile ?? '.data/temporal.db', 'dbFile'),
    logLevel,
    dynamicConfig,
    searchAttributes,
  };
}

/**
 * `dbFile: null` keeps state in memory (test and bench runs); `headless` drops the Web UI.
 * Dynamic config values are JSON on the command line, hence JSON.stringify even for numbers.
 */
export function startDevArgs(settings, { namespace, port, uiPort, dbFile, headless }) {
  const args = ['server', 'start-dev', '--ip', settings.ip, '--port', String(port)];
  if (headless) args.push('--headless');
  else args.push('--ui-port', String(uiPort));
  if (dbFile) args.push('--db-filename', dbFile);
  args.push('--namespace', namespace, '--log-level', settings.logLevel);
  for (const [name, type] of Object.entries(settings.searchAttributes))
    args.push('--search-attribute', `${name}=${type}`);
  for (const [key, value] of Object.entries(settings.dynamicConfig)) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }
  return args;
}
