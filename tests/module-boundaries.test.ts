import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * The dependency direction between workspaces, checked on the source text so a wrong import fails
 * here with its file and line rather than as a cycle or a bundle surprise later. "Type only" means
 * `import type` / `export type`: with `verbatimModuleSyntax`, `import { type X }` still loads the
 * module at run time, so it counts as a value import.
 */
const repoDir = fileURLToPath(new URL('..', import.meta.url));
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.data', '.tools']);

type Workspace = 'api' | 'activities' | 'workflows' | 'web' | `packages/${string}`;
type ImportSite = { file: string; line: number; target: Workspace; typeOnly: boolean; text: string };

function sourceFiles(dir: string, found: string[] = []): string[] {
  for (const entry of readdirSync(join(repoDir, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) sourceFiles(path, found);
    } else if (/\.(ts|mts|vue)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      found.push(path);
    }
  }
  return found;
}

/** The workspace a path of the repo belongs to, or null outside them (tests/, scripts/, bench/). */
function workspaceOf(path: string): Workspace | null {
  const [top, second] = path.split(sep);
  if (top === 'packages' && second) return `packages/${second}`;
  if (top === 'api' || top === 'activities' || top === 'workflows' || top === 'web') return top;
  return null;
}

/** `@catalog/<name>` and relative paths that climb into another workspace both count. */
function targetOf(file: string, specifier: string): Workspace | null {
  const scoped = /^@catalog\/([^/]+)/.exec(specifier)?.[1];
  if (scoped) {
    if (scoped === 'api' || scoped === 'activities' || scoped === 'workflows' || scoped === 'web') return scoped;
    return `packages/${scoped}`;
  }
  if (!specifier.startsWith('.')) return null;
  const target = workspaceOf(relative(repoDir, resolve(repoDir, dirname(file), specifier)));
  return target === workspaceOf(file) ? null : target;
}

/** A `.vue` file's `<script>` blocks, padded so line numbers stay those of the file. */
function scriptText(file: string, text: string): string {
  if (!file.endsWith('.vue')) return text;
  const lines = text.split('\n');
  let inScript = false;
  return lines
    .map((line) => {
      if (/^<script\b/.test(line)) inScript = true;
      else if (/^<\/script>/.test(line)) inScript = false;
      else if (inScript) return line;
      return '';
    })
    .join('\n');
}

function importSites(file: string): ImportSite[] {
  const text = scriptText(file, readFileSync(join(repoDir, file), 'utf8'));
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const sites: ImportSite[] = [];
  const record = (node: ts.Node, specifier: ts.Expression | undefined, typeOnly: boolean) => {
    if (!specifier || !ts.isStringLiteralLike(specifier)) return;
    const target = targetOf(file, specifier.text);
    if (!target) return;
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    sites.push({ file, line, target, typeOnly, text: node.getText(source).split('\n')[0] ?? '' });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) record(node, node.moduleSpecifier, node.importClause?.isTypeOnly ?? false);
    else if (ts.isExportDeclaration(node)) record(node, node.moduleSpecifier, node.isTypeOnly);
    else if (ts.isImportTypeNode(node))
      record(node, ts.isLiteralTypeNode(node.argument) ? node.argument.literal : undefined, true);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword)
      record(node, node.arguments[0], false);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sites;
}

type Rule = { from: string[]; forbidden: (target: Workspace) => boolean; allowTypeOnly: boolean; why: string };

function violations(rule: Rule): string[] {
  return rule.from
    .flatMap((dir) => sourceFiles(dir))
    .flatMap(importSites)
    .filter((site) => rule.forbidden(site.target) && !(rule.allowTypeOnly && site.typeOnly))
    .map((site) => `${site.file}:${site.line}: ${site.text}`);
}

function assertRule(rule: Rule) {
  const found = violations(rule);
  assert.deepEqual(found, [], `${rule.why}\n${found.join('\n')}`);
}

const packageDirs = readdirSync(join(repoDir, 'packages'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => join('packages', entry.name));

describe('module boundaries', () => {
  it('the API never imports worker code (webhook sending lives in @catalog/webhooks)', () => {
    assertRule({
      from: ['api'],
      forbidden: (target) => target === 'activities',
      allowTypeOnly: false,
      why: 'api/ imports @catalog/activities; move what both need into a package under packages/',
    });
  });

  it('activities take only types from workflows (no import cycle)', () => {
    assertRule({
      from: ['activities'],
      forbidden: (target) => target === 'workflows',
      allowTypeOnly: true,
      why: 'activities/ imports values from @catalog/workflows; shared values belong in @catalog/domain',
    });
  });

  it('workflows take only types from activities (their code never enters the workflow bundle)', () => {
    assertRule({
      from: ['workflows'],
      forbidden: (target) => target === 'activities',
      allowTypeOnly: true,
      why: 'workflows/ imports values from @catalog/activities; use `import type` and proxyActivities',
    });
  });

  it('packages never import the applications built on them', () => {
    assertRule({
      from: packageDirs,
      forbidden: (target) => target === 'api' || target === 'activities' || target === 'workflows' || target === 'web',
      allowTypeOnly: false,
      why: 'a package under packages/ imports api/, activities/, workflows/ or web/',
    });
  });

  it('the web app takes nothing from the server but @catalog/domain', () => {
    assertRule({
      from: ['web/src'],
      forbidden: (target) => target !== 'packages/domain',
      allowTypeOnly: false,
      why: 'web/ imports server code; the browser shares only the contract in @catalog/domain',
    });
  });

  it('sees the imports it checks (a scan that finds nothing cannot fail)', () => {
    const sites = sourceFiles('workflows').flatMap(importSites);
    assert.ok(sites.some((site) => site.target === 'activities' && site.typeOnly));
    const apiSites = sourceFiles('api').flatMap(importSites);
    assert.ok(apiSites.some((site) => site.target === 'packages/webhooks' && !site.typeOnly));
  });
});
