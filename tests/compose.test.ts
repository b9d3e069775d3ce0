import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { configSchema } from '@catalog/domain';
import { parse, parseAllDocuments } from 'yaml';
import { compiledCommand, type ProcessName } from '../scripts/lib/server-build.mjs';

/**
 * docker-compose.yml and deploy/k8s cannot run here (no Docker, no cluster), so this checks what
 * drifts silently: the services exist and every variable handed to the api and the worker is one
 * the config schema knows.
 */
const repoDir = fileURLToPath(new URL('..', import.meta.url));
const configKeys = new Set(Object.keys(configSchema.shape));
const read = (path: string) => readFileSync(join(repoDir, path), 'utf8');

type Service = { image?: string; build?: unknown; command?: string[]; environment?: Record<string, unknown> };

function assertKnownVariables(names: string[], where: string) {
  const unknown = names.filter((name) => !configKeys.has(name));
  assert.deepEqual(unknown, [], `${where} sets variables that packages/domain/src/config.ts does not know`);
}

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
  const { services } = compose;

  it('has the whole stack', () => {
    for (const name of ['postgres', 'redis', 'temporal', 'temporal-ui', 'migrate', 'api', 'worker']) {
      assert.ok(services[name], `service ${name} is missing`);
    }
    assert.match(services.temporal?.image ?? '', /^temporalio\/auto-setup:/);
    assert.equal(services.temporal?.environment?.DB, 'postgres12');
  });

  it('builds api, worker and migrations from the repo image and runs their compiled entry points', () => {
    for (const name of ['api', 'worker', 'migrate'] as const) {
      assert.equal(services[name]?.build, '.', `${name} is not built from the Dockerfile`);
      assert.deepEqual(services[name]?.command, ['node', ...compiledCommand(name)]);
    }
  });

  it('gives the api and the worker only variables of the config schema, including a DATABASE_URL', () => {
    for (const name of ['api', 'worker', 'migrate']) {
      const environment = services[name]?.environment ?? {};
      assertKnownVariables(Object.keys(environment), `service ${name}`);
      // `${NAME:?message}` is filled from the host by compose, which refuses to start without it.
      const fromHost = Object.keys(environment).filter((key) =>
        new RegExp(`^\\$\\{${key}:\\?.+\\}$`).test(String(environment[key])),
      );
      assert.deepEqual(fromHost, ['SECRETS_KEY'], `service ${name} must take SECRETS_KEY from the host`);
      const written = Object.fromEntries(Object.entries(environment).filter(([key]) => !fromHost.includes(key)));
      assert.ok(configSchema.safeParse(written).success, `service ${name} has an invalid configuration`);
    }
  });
});

describe('deploy/k8s', () => {
  const dir = join(repoDir, 'deploy/k8s');
  const documents = readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((doc) => {
        assert.deepEqual(doc.errors, [], `${file} does not parse`);
        return { file, manifest: doc.toJS() };
      }),
    );
  const ofKind = (kind: string) => documents.filter(({ manifest }) => manifest.kind === kind).map((d) => d.manifest);

  it('parses, and every manifest has an apiVersion and a kind', () => {
    assert.ok(documents.length > 0);
    for (const { file, manifest } of documents) {
      assert.ok(manifest.apiVersion && manifest.kind, `${file} has a document without apiVersion/kind`);
    }
  });

  it('has the api Deployment and Service, the worker Deployment, a ConfigMap and a Secret template', () => {
    const names = (kind: string) => ofKind(kind).map((m) => m.metadata.name);
    assert.deepEqual(names('Deployment').sort(), ['catalog-api', 'catalog-worker']);
    assert.deepEqual(names('Service'), ['catalog-api']);
    assert.deepEqual(names('ConfigMap'), ['catalog-config']);
    assert.deepEqual(names('Secret'), ['catalog-secrets']);
  });

  it('stages uploads in S3, so no pod needs a shared (ReadWriteMany) volume', () => {
    assert.equal(ofKind('ConfigMap')[0]?.data.UPLOAD_STORE, 's3');
    assert.deepEqual(ofKind('PersistentVolumeClaim'), []);
    for (const deployment of ofKind('Deployment')) {
      const volumes: { persistentVolumeClaim?: unknown }[] = deployment.spec.template.spec.volumes ?? [];
      assert.ok(!volumes.some((volume) => volume.persistentVolumeClaim), `${deployment.metadata.name} mounts a claim`);
    }
  });

  it('sets only variables of the config schema', () => {
    for (const configMap of ofKind('ConfigMap')) assertKnownVariables(Object.keys(configMap.data), 'the ConfigMap');
    for (const secret of ofKind('Secret')) assertKnownVariables(Object.keys(secret.stringData), 'the Secret');
    for (const deployment of ofKind('Deployment')) {
      for (const container of deployment.spec.template.spec.containers) {
        const names = (container.env ?? []).map((variable: { name: string }) => variable.name);
        assertKnownVariables(names, `container ${container.name}`);
      }
    }
  });
});

describe('production commands', () => {
  it('run compiled JavaScript: no tsx in the image, compose or k8s', () => {
    const files = [
      'Dockerfile',
      'docker-compose.yml',
      ...readdirSync(join(repoDir, 'deploy/k8s')).map((f) => `deploy/k8s/${f}`),
    ];
    for (const file of files) assert.doesNotMatch(read(file), /\btsx\b/, `${file} mentions tsx`);
    assert.match(read('Dockerfile'), /^FROM node:24-|^ARG NODE_IMAGE=node:24-/m, 'the image is not Node 24');
  });

  it('install every workspace: the image copies each package.json that `npm ci` needs', () => {
    const { workspaces } = JSON.parse(read('package.json')) as { workspaces: string[] };
    const copied = new Set([...read('Dockerfile').matchAll(/^COPY (\S+)\/package\.json /gm)].map((match) => match[1]));
    const missing = workspaces.filter((workspace) => !copied.has(workspace));
    assert.deepEqual(missing, [], "the Dockerfile does not copy these workspaces' package.json");
  });

  it('probe both processes in k8s', () => {
    for (const file of ['deploy/k8s/api.yaml', 'deploy/k8s/worker.yaml']) {
      const text = read(file);
      assert.match(text, /readinessProbe:/, `${file} has no readiness probe`);
      assert.match(text, /livenessProbe:/, `${file} has no liveness probe`);
    }
  });

  it('start each process as the launcher does, with the same V8 flags', () => {
    const commands: Record<string, ProcessName> = {
      'deploy/k8s/api.yaml': 'api',
      'deploy/k8s/worker.yaml': 'worker',
      'deploy/k8s/migrate-job.yaml': 'migrate',
    };
    for (const [file, name] of Object.entries(commands)) {
      assert.ok(read(file).includes(JSON.stringify(['node', ...compiledCommand(name)]).replaceAll(',', ', ')), file);
    }
    assert.ok(
      read('Dockerfile').includes(`CMD ${JSON.stringify(['node', ...compiledCommand('api')]).replaceAll(',', ', ')}`),
    );
  });
});

describe('.env.example', () => {
  it('lists every variable of the config schema', () => {
    const listed = new Set([...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]));
    const missing = [...configKeys].filter((key) => !listed.has(key));
    assert.deepEqual(missing, [], '.env.example is missing variables of packages/domain/src/config.ts');
  });
});
