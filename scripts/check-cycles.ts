// Lint step: fails on any import cycle, between files or between top-level folders, and on an import
// against the layers. Dependencies point one way: tests → scripts and bench → the parts (deploy/,
// local-tenant/, …) → lib/, which holds leaves only (nothing outside lib/ but node and npm packages).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const skipped = new Set([
  'node_modules',
  'dist',
  '.git',
  '.local-tenant',
  'test-artifacts',
  'coverage',
]);

function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (skipped.has(entry) || entry.startsWith('.stryker')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...sourceFiles(path));
    else if (/\.(ts|mts)$/.test(entry) && !entry.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

/** Relative imports of one file, resolved to repository files (`./x.js` → `./x.ts`). */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const targets: string[] = [];
  for (const { fileName } of info.importedFiles) {
    if (!fileName.startsWith('.')) continue;
    const base = resolve(dirname(file), fileName).replace(/\.(m?js)$/, '');
    const candidate = [`${base}.ts`, `${base}.mts`, join(base, 'index.ts')].find((path) => {
      try {
        return statSync(path).isFile();
      } catch {
        return false;
      }
    });
    if (candidate) targets.push(candidate);
  }
  return targets;
}

/** Strongly connected components with more than one member (or a self-import): the cycles. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)?.has(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

const files = sourceFiles(root);
const fileGraph = new Map<string, Set<string>>();
const folderGraph = new Map<string, Set<string>>();
const problems: string[] = [];
const topFolder = (path: string): string => relative(root, path).split(sep)[0]!;
/** An import may point to a lower layer only (or stay in its folder); every other folder is a part. */
const layers: Record<string, number> = { lib: 0, scripts: 2, bench: 2, tests: 3 };
// Root files (vitest.config.ts …) sit on top.
const layerOf = (folder: string): number => layers[folder] ?? (folder.includes('.') ? 3 : 1);

for (const file of files) {
  const from = relative(root, file);
  const targets = importsOf(file).map((target) => relative(root, target));
  fileGraph.set(from, new Set(targets));
  for (const target of targets) {
    const [a, b] = [topFolder(file), topFolder(join(root, target))];
    if (a !== b && layerOf(b) > layerOf(a))
      problems.push(
        `${from} imports ${target}: ${a}/ may not import ${b}/ (tests → scripts, bench → parts → lib)`,
      );
    if (a !== b && a.includes('.') === false && b.includes('.') === false) {
      if (!folderGraph.has(a)) folderGraph.set(a, new Set());
      folderGraph.get(a)!.add(b);
    }
  }
}
for (const component of cycles(fileGraph)) problems.push(`file cycle: ${component.join(' ↔ ')}`);
for (const component of cycles(folderGraph))
  problems.push(`folder cycle: ${component.join(' ↔ ')}`);

if (problems.length > 0) {
  console.error(problems.join('\n'));
  console.error(`check-cycles: ${problems.length} problem(s) in ${files.length} files`);
  process.exit(1);
}
console.log(`check-cycles: ${files.length} files, no import cycles`);
