// Lint step: counts the type assertions (`x as T`, `<T>x`; `as const` is not one) in every git-tracked
// TypeScript file outside tests/, and fails when one has no `// cast: <why>` comment on its line or the
// line above, or when the total exceeds the budget. A cast silences the compiler, so each one must say
// why the type is known; the budget only goes down.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import { parseCommandLineOrExit } from '../lib/cli-args.js';

const budget = 10;
const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const justification = /\/\/\s*cast:\s*\S/i;

const { values } = parseCommandLineOrExit({
  command: 'npx tsx scripts/count-casts.ts',
  name: 'count-casts',
  summary:
    'Counts the type assertions outside tests/ per file; fails (exit 1) when one lacks a\n' +
    `"// cast: <why>" comment on its line or the line above, or when there are more than ${budget}.`,
  options: {
    list: { type: 'boolean', description: 'print every cast with its location' },
  },
  examples: ['npx tsx scripts/count-casts.ts --list'],
});

type Cast = { file: string; line: number; text: string; justified: boolean };

function isCast(node: ts.Node): node is ts.AsExpression | ts.TypeAssertion {
  if (ts.isTypeAssertionExpression(node)) return true;
  if (!ts.isAsExpression(node)) return false;
  const type = node.type;
  return !(ts.isTypeReferenceNode(type) && type.typeName.getText() === 'const');
}

function castsIn(file: string): Cast[] {
  const text = readFileSync(join(root, file), 'utf8');
  const lines = text.split('\n');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: Cast[] = [];
  const visit = (node: ts.Node): void => {
    if (isCast(node)) {
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const typeLine = source.getLineAndCharacterOfPosition(node.type.getStart(source)).line;
      const nearby = [lines[line - 1], lines[line], lines[typeLine - 1], lines[typeLine]];
      found.push({
        file,
        line: line + 1,
        text: node.getText(source).replace(/\s+/g, ' ').slice(0, 100),
        justified: nearby.some(
          (candidate) => candidate !== undefined && justification.test(candidate),
        ),
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const files = execFileSync('git', ['ls-files', '*.ts', '*.mts'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((file) => file !== '' && !file.startsWith('tests/') && !file.endsWith('.d.ts'));
const casts = files.flatMap(castsIn);
const perFile = new Map<string, number>();
for (const cast of casts) perFile.set(cast.file, (perFile.get(cast.file) ?? 0) + 1);

if (values.list) for (const cast of casts) console.log(`${cast.file}:${cast.line}  ${cast.text}`);
for (const [file, count] of [...perFile].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])))
  console.log(`${String(count).padStart(4)}  ${file}`);

const problems = casts
  .filter((cast) => !cast.justified)
  .map(
    (cast) => `${cast.file}:${cast.line}: cast without a "// cast: <why>" comment: ${cast.text}`,
  );
if (casts.length > budget)
  problems.push(`${casts.length} casts outside tests/, over the budget of ${budget}`);
if (problems.length > 0) {
  console.error(problems.join('\n'));
  console.error(`count-casts: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log(`count-casts: ${casts.length} cast(s) in ${files.length} files, each justified`);
