import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadConfig } from '@catalog/domain';
import { catalogSearchAttributes } from '@catalog/workflows';
import { parse } from 'yaml';
import { parseLauncherArgs } from '../scripts/lib/args.mjs';
import { createTally, formatSummary, type TestEvent } from '../scripts/lib/count-reporter.mjs';
import { hashLockfile, installState } from '../scripts/lib/install-state.mjs';
import { appPorts, readPort } from '../scripts/lib/launcher-config.mjs';
import { pinnedMajor, relaunchOnPinnedNode, runsPinnedNode } from '../scripts/lib/pinned-node.mjs';
import { DEV_SECRETS_KEY_FILE, devSecretsKey } from '../scripts/lib/secrets-key.mjs';
import { createSupervisor } from '../scripts/lib/supervisor.mjs';
import { MISSING_TEMPORAL_MESSAGE, resolveTemporal, TEMPORAL_MODULE } from '../scripts/lib/temporal-binary.mjs';
import { parseTemporalSettings, startDevArgs } from '../scripts/lib/temporal-settings.mjs';
import { findTestFiles } from '../scripts/lib/test-files.mjs';
import { isWebBuildStale } from '../scripts/lib/web-build.mjs';

const repoDir = fileURLToPath(new URL('..', import.meta.url));

describe('temporal binary resolution', () => {
  const repo = '/repo';
  const pathEnv = '/usr/local/bin:/opt/go/bin:/usr/bin';
  const resolveWith = (executables: string[]) =>
    resolveTemporal({ pathEnv, repoDir: repo, isExecutable: (path) => executables.includes(path) });

  it('prefers a temporal on PATH over the tools folder', () => {
    const found = resolveWith(['/usr/bin/temporal', '/repo/.tools/bin/temporal', '/opt/go/bin/go']);
    assert.deepEqual(found, { kind: 'found', bin: '/usr/bin/temporal', source: 'PATH' });
  });

  it('falls back to the tools folder of the repo', () => {
    const found = resolveWith(['/repo/.tools/bin/temporal', '/opt/go/bin/go']);
    assert.deepEqual(found, { kind: 'found', bin: '/repo/.tools/bin/temporal', source: 'tools' });
  });

  it('builds into the tools folder with go when there is no binary', () => {
    const found = resolveWith(['/opt/go/bin/go']);
    assert.deepEqual(found, {
      kind: 'build',
      go: '/opt/go/bin/go',
      bin: '/repo/.tools/bin/temporal',
      gobin: '/repo/.tools/bin',
    });
  });

  it('gives one message naming both ways when neither temporal nor go exists', () => {
    const found = resolveWith([]);
    assert.equal(found.kind, 'missing');
    assert.equal(found.kind === 'missing' && found.message, MISSING_TEMPORAL_MESSAGE);
    assert.equal(MISSING_TEMPORAL_MESSAGE.split('\n').length, 1);
    assert.match(MISSING_TEMPORAL_MESSAGE, /`temporal` on PATH/);
    assert.match(MISSING_TEMPORAL_MESSAGE, /go install github\.com\/temporalio\/cli\/cmd\/temporal@v1\.5\.1/);
    assert.equal(TEMPORAL_MODULE, 'github.com/temporalio/cli/cmd/temporal@v1.5.1');
  });
});

describe('temporal.yaml', () => {
  const settings = parseTemporalSettings(parse(readFileSync(join(repoDir, 'temporal.yaml'), 'utf8')));

  it('turns into start-dev arguments with a persistent db file and the web UI', () => {
    const args = startDevArgs(settings, {
      namespace: settings.namespace,
      port: settings.port,
      uiPort: settings.uiPort,
      dbFile: '/repo/.data/temporal.db',
      headless: false,
    });
    assert.deepEqual(args.slice(0, 8), [
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      '7233',
      '--ui-port',
      '8233',
    ]);
    assert.equal(args[args.indexOf('--db-filename') + 1], '/repo/.data/temporal.db');
    assert.equal(args[args.indexOf('--namespace') + 1], 'default');
    assert.equal(args[args.indexOf('--log-level') + 1], 'warn');
    assert.ok(args.includes('limit.blobSize.warn=262144'));
    assert.ok(args.includes('frontend.enableUpdateWorkflowExecution=true'));
    const dynamicValues = args.filter((_, i) => args[i - 1] === '--dynamic-config-value');
    assert.equal(dynamicValues.length, Object.keys(settings.dynamicConfig).length);
  });

  it('runs headless and in memory for test runs', () => {
    const args = startDevArgs(settings, { namespace: 'ns', port: 41000, uiPort: 41001, dbFile: null, headless: true });
    assert.ok(args.includes('--headless'));
    assert.ok(!args.includes('--ui-port'));
    assert.ok(!args.includes('--db-filename'));
    assert.equal(args[args.indexOf('--port') + 1], '41000');
  });

  it('encodes dynamic config values as JSON', () => {
    const custom = { ...settings, dynamicConfig: { 'a.string': 'x y', 'a.number': 3, 'a.list': [1] } };
    const args = startDevArgs(custom, { namespace: 'n', port: 1, uiPort: 2, dbFile: null, headless: true });
    assert.ok(args.includes('a.string="x y"'));
    assert.ok(args.includes('a.number=3'));
    assert.ok(args.includes('a.list=[1]'));
  });

  it('registers the search attributes the job workflows set', () => {
    const args = startDevArgs(settings, { namespace: 'n', port: 1, uiPort: 2, dbFile: null, headless: true });
    const registered = args.filter((_, i) => args[i - 1] === '--search-attribute');
    const expected = Object.values(catalogSearchAttributes).map((key) => `${key.name}=Keyword`);
    assert.deepEqual(registered.sort(), expected.sort());
    assert.throws(
      () => parseTemporalSettings({ searchAttributes: { X: 'Number' } }),
      /temporal\.yaml: searchAttributes\.X must be one of/,
    );
  });

  it('rejects unknown keys and bad ports, naming them', () => {
    assert.throws(() => parseTemporalSettings({ prot: 7233 }), /temporal\.yaml: unknown setting prot/);
    assert.throws(() => parseTemporalSettings({ port: 'x' }), /temporal\.yaml: port must be a port number/);
  });
});

describe('install check', () => {
  const lockHash = hashLockfile('{"lockfileVersion":3}');

  it('installs when node_modules is missing or was installed from another lockfile', () => {
    assert.equal(installState({ hasNodeModules: false, lockHash, stampHash: lockHash }), 'missing');
    assert.equal(installState({ hasNodeModules: true, lockHash, stampHash: undefined }), 'stale');
    assert.equal(installState({ hasNodeModules: true, lockHash, stampHash: hashLockfile('{}') }), 'stale');
  });

  it('skips the install when the stamp matches the lockfile', () => {
    assert.equal(installState({ hasNodeModules: true, lockHash, stampHash: `${lockHash}\n` }), 'fresh');
  });
});

describe('pinned Node', () => {
  it('is the major of engines.node, and this test runs on it', () => {
    assert.equal(pinnedMajor(repoDir), 24);
    assert.equal(runsPinnedNode(repoDir), true, `running on ${process.version}`);
    assert.equal(runsPinnedNode(repoDir, '20.20.2'), false);
  });

  it('is what the launcher hands over to, passing the exit code back', async () => {
    const relaunched = relaunchOnPinnedNode(repoDir, {
      argv: ['-e', 'process.exit(process.versions.node.startsWith("24.") ? 7 : 1)'],
    });
    assert.equal(await relaunched.exited, 7);
  });
});

describe('supervisor', () => {
  it('restarts a crashed child with backoff when asked to, and says so', async () => {
    const lines: string[] = [];
    const steps: (() => unknown)[] = [];
    const unexpected: string[] = [];
    const supervisor = createSupervisor({
      cwd: repoDir,
      cleanup: { defer: (_name, step) => steps.push(step) },
      onUnexpectedExit: (name) => unexpected.push(name),
      restartCrashed: true,
      log: { info: (line) => lines.push(line), error: (line) => lines.push(line) },
    });
    const marker = join(mkdtempSync(join(tmpdir(), 'supervisor-')), 'starts');
    // Crashes on its first two starts, then keeps running.
    const script = `const fs=require('fs');fs.appendFileSync(${JSON.stringify(marker)},'x');
      if (fs.readFileSync(${JSON.stringify(marker)},'utf8').length<3) process.exit(3); setInterval(()=>{},1000);`;
    const handle = supervisor.start('crasher', process.execPath, ['-e', script], { output: 'inherit' });
    const deadline = Date.now() + 20_000;
    while (readStarts(marker) < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(readStarts(marker), 3);
    assert.equal(handle.isRunning(), true);
    assert.deepEqual(lines, [
      'crasher exited with code 3; restarting it in 1 s (restart 1)',
      'crasher exited with code 3; restarting it in 2 s (restart 2)',
    ]);
    assert.deepEqual(unexpected, []);
    await handle.stop();
    assert.equal(handle.isRunning(), false);
  });

  it('without restarts, reports a crash instead', async () => {
    const unexpected: string[] = [];
    const supervisor = createSupervisor({
      cwd: repoDir,
      cleanup: { defer: () => undefined },
      onUnexpectedExit: (name, how) => unexpected.push(`${name} ${how}`),
    });
    const handle = supervisor.start('crasher', process.execPath, ['-e', 'process.exit(3)'], { output: 'inherit' });
    await handle.exited;
    assert.deepEqual(unexpected, ['crasher exited with code 3']);
  });
});

function readStarts(marker: string): number {
  try {
    return readFileSync(marker, 'utf8').length;
  } catch {
    return 0;
  }
}

describe('launcher settings', () => {
  const temporal = parseTemporalSettings({});

  it('takes ports from the environment, else from the defaults and temporal.yaml', () => {
    const ports = appPorts({ EMBEDDED_PG_PORT: '6543', TEMPORAL_UI_PORT: '' }, temporal);
    assert.deepEqual(ports, { api: 3000, postgres: 6543, redis: 6380, temporal: 7233, temporalUi: 8233, webDev: 5173 });
  });

  it('names the variable of a bad port', () => {
    assert.throws(() => readPort({ PORT: 'abc' }, 'PORT', 3000), {
      message: 'Invalid configuration: PORT="abc" must be a port number',
    });
  });

  it('parses the mode and its targets', () => {
    assert.deepEqual(parseLauncherArgs([]), { mode: 'start', targets: [], options: [] });
    assert.deepEqual(parseLauncherArgs(['--test', 'tests/', 'api/']), {
      mode: 'test',
      targets: ['tests/', 'api/'],
      options: [],
    });
    assert.deepEqual(parseLauncherArgs(['--bench', 'import', '--rows', '5000']), {
      mode: 'bench',
      targets: ['import'],
      options: ['--rows', '5000'],
    });
    assert.throws(() => parseLauncherArgs(['--tset']), /Unknown argument --tset/);
  });

  it('rebuilds the web app only when a source is newer than the build', () => {
    assert.equal(isWebBuildStale({ builtAt: undefined, sourcesChangedAt: 1 }), true);
    assert.equal(isWebBuildStale({ builtAt: 10, sourcesChangedAt: 20 }), true);
    assert.equal(isWebBuildStale({ builtAt: 20, sourcesChangedAt: 10 }), false);
  });
});

describe('SECRETS_KEY of npm start', () => {
  it('is generated once into .data/secrets.key, owner-only, and then reused; an explicit key wins', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'secrets-key-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    assert.equal(devSecretsKey(dir, {}, { create: false }), undefined);
    const key = devSecretsKey(dir, {});
    assert.ok(key);
    const file = join(dir, DEV_SECRETS_KEY_FILE);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(loadConfig({ DATABASE_URL: 'postgres://x@h/db', SECRETS_KEY: key }).SECRETS_KEY?.length, 32);
    assert.equal(devSecretsKey(dir, {}), key, 'the next start uses the same key');
    assert.equal(devSecretsKey(dir, {}, { create: false }), key);
    assert.equal(devSecretsKey(dir, { SECRETS_KEY: 'explicit' }), 'explicit');
  });

  it('is never generated for production, which must be given one', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'secrets-key-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    assert.equal(devSecretsKey(dir, { NODE_ENV: 'production' }), undefined);
    assert.equal(existsSync(join(dir, DEV_SECRETS_KEY_FILE)), false);
  });
});

describe('test discovery', () => {
  it('finds *.test.ts files under the given paths, skipping node_modules', (t) => {
    const root = mkdtempSync(join(tmpdir(), 'launcher-test-'));
    t.after(() => rmSync(root, { recursive: true, force: true }));
    for (const file of ['api/src/a.test.ts', 'api/src/b.ts', 'api/node_modules/x/c.test.ts', 'tests/d.test.ts']) {
      mkdirSync(join(root, file, '..'), { recursive: true });
      writeFileSync(join(root, file), '');
    }
    assert.deepEqual(findTestFiles({ repoDir: root, baseDir: root, targets: [] }), [
      'api/src/a.test.ts',
      'tests/d.test.ts',
    ]);
    assert.deepEqual(findTestFiles({ repoDir: root, baseDir: join(root, 'tests'), targets: ['.'] }), [
      'tests/d.test.ts',
    ]);
    assert.throws(() => findTestFiles({ repoDir: root, baseDir: root, targets: ['nope'] }), /No such test path: nope/);
  });
});

describe('count reporter', () => {
  const event = (type: TestEvent['type'], nesting: number, extra: Partial<TestEvent['data']> = {}): TestEvent => ({
    type,
    data: { nesting, ...extra },
  });

  it('counts leaf tests only, and skip/todo as skipped', () => {
    const tally = createTally();
    const events = [
      event('test:pass', 1),
      event('test:pass', 1, { skip: true }),
      event('test:pass', 1, { todo: true }),
      event('test:pass', 0, { details: { type: 'suite' } }),
      event('test:pass', 1),
      event('test:fail', 1),
      event('test:fail', 0),
      event('test:pass', 0),
    ];
    for (const e of events) tally.record(e);
    assert.deepEqual(tally.totals, { passed: 3, failed: 1, skipped: 2 });
  });

  it('keeps the failure of a container whose children all passed', () => {
    const tally = createTally();
    for (const e of [event('test:pass', 1), event('test:fail', 0, { details: { type: 'suite' } })]) tally.record(e);
    assert.deepEqual(tally.totals, { passed: 1, failed: 1, skipped: 0 });
  });

  it('formats the last line, with skipped only when there are some', () => {
    assert.equal(formatSummary({ passed: 3, failed: 0, skipped: 0 }), '3 passed, 0 failed');
    assert.equal(formatSummary({ passed: 3, failed: 1, skipped: 2 }), '3 passed, 1 failed, 2 skipped');
  });

  it('reports a real node:test run, a file that fails to load counting as one failure', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'count-reporter-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(
      join(dir, 'a.test.mjs'),
      `import { describe, it, test } from 'node:test';
       describe('s', () => { it('ok', () => {}); it.skip('skipped', () => {}); });
       test('parent', async (t) => { await t.test('child', () => {}); });
       test('bad', () => { throw new Error('no'); });`,
    );
    writeFileSync(join(dir, 'b.test.mjs'), `import './missing.mjs';`);
    const reporter = pathToFileURL(join(repoDir, 'scripts/lib/count-reporter.mjs')).href;
    // Without this the nested run would report into the outer one instead of to its reporter.
    const { NODE_TEST_CONTEXT: _outer, ...env } = process.env;
    const run = spawnSync(
      process.execPath,
      ['--test', `--test-reporter=${reporter}`, '--test-reporter-destination=stdout', 'a.test.mjs', 'b.test.mjs'],
      { cwd: dir, env, encoding: 'utf8' },
    );
    assert.deepEqual(JSON.parse(run.stdout), { passed: 2, failed: 2, skipped: 1 });
  });
});
