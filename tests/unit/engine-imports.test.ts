import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const ENGINE = join(import.meta.dirname, '../../src/engine');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const FORBIDDEN_PACKAGE = /^(svelte|comlink|chart\.js)(\/|$)|^chartjs-/;
const DOM_GLOBALS = new Set(['document', 'window']);

/** What a source file imports that the engine must not, and where it touches DOM globals. */
function violations(fileName: string, source: string): string[] {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const where = (n: ts.Node): string =>
    `${fileName}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`;
  const checkSpecifier = (spec: ts.Expression | undefined, n: ts.Node): void => {
    if (spec !== undefined && ts.isStringLiteralLike(spec) && FORBIDDEN_PACKAGE.test(spec.text)) {
      found.push(`${where(n)} imports '${spec.text}'`);
    }
  };
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) checkSpecifier(n.moduleSpecifier, n);
    else if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference)) {
      checkSpecifier(n.moduleReference.expression, n);
    } else if (
      ts.isCallExpression(n) &&
      (n.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(n.expression) && n.expression.text === 'require'))
    ) {
      checkSpecifier(n.arguments[0], n);
    } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument)) {
      checkSpecifier(n.argument.literal as ts.Expression, n);
    } else if (ts.isIdentifier(n) && DOM_GLOBALS.has(n.text)) {
      // a property name (x.document, { document: … }) is not the global
      const p = n.parent;
      const isPropertyName =
        (ts.isPropertyAccessExpression(p) && p.name === n) ||
        (ts.isPropertyAssignment(p) && p.name === n) ||
        (ts.isPropertySignature(p) && p.name === n) ||
        (ts.isPropertyDeclaration(p) && p.name === n) ||
        (ts.isMethodDeclaration(p) && p.name === n);
      if (!isPropertyName) found.push(`${where(n)} references '${n.text}'`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  // a textual net for what the AST walk does not see (e.g. window.x written inside a template string)
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  if (/\bwindow\./.test(code)) found.push(`${fileName} mentions window.`);
  if (/\bdocument\s*\.\s*[a-zA-Z]/.test(code)) found.push(`${fileName} mentions document.`);
  return [...new Set(found)];
}

describe('the engine boundary', () => {
  const files = filesUnder(ENGINE);

  it('finds the engine sources', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
    expect(files.map((f) => relative(ENGINE, f).replaceAll('\\', '/'))).toContain('analyze.ts');
  });

  it('no engine file imports svelte, comlink or chart.js, or touches document / window', () => {
    const all = files.flatMap((f) => violations(relative(ENGINE, f), readFileSync(f, 'utf8')));
    expect(all).toEqual([]);
  });

  it('the check itself catches each kind of violation', () => {
    const bad = [
      "import { mount } from 'svelte';",
      "import { writable } from 'svelte/store';",
      "import * as Comlink from 'comlink';",
      "import { Chart } from 'chart.js';",
      "import 'chart.js/auto';",
      "import zoom from 'chartjs-plugin-zoom';",
      "export { x } from 'chartjs-adapter-date-fns';",
      "const m = await import('comlink');",
      'const el = document.createElement("a");',
      'window.addEventListener("x", () => {});',
      'const w = window;',
    ];
    for (const line of bad) expect([line, violations('bad.ts', line).length > 0]).toEqual([line, true]);
    const fine = [
      "import { z } from 'zod';",
      "import { x } from './svelte-like.ts';",
      "const e = '(document): not valid JSON';",
      '/** The configuration document */ const a = 1;',
      'const o = { document: 1 }; const d = o.document;',
      "import type { Chartish } from './charts.ts';",
    ];
    for (const line of fine) expect([line, violations('fine.ts', line)]).toEqual([line, []]);
  });
});
