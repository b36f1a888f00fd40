// npm run build: bundle the Actions to dist/actions and fail when one outgrows its budget.
import { relative } from 'node:path';
import { bundleActions, checkBundleBudgets } from '../actions/bundle.js';
import { parseCommandLineOrExit } from '../lib/cli-args.js';

parseCommandLineOrExit({
  command: 'npm run build --',
  name: 'build',
  summary:
    'Bundles every actions/src/*.ts to dist/actions/ (esbuild) and prints sizes and hashes; fails when a bundle\n' +
    'outgrows its budget. No options.',
  options: {},
  examples: ['npm run build'],
});

const bundles = await bundleActions();
for (const bundle of bundles) {
  console.log(
    `${bundle.name.padEnd(24)} ${String(bundle.bytes).padStart(7)} bytes  sha256 ${bundle.sha256}  ${relative(process.cwd(), bundle.path)}`,
  );
}
const problems = checkBundleBudgets(bundles);
if (problems.length > 0) {
  for (const problem of problems) console.error(`build-actions: ${problem}`);
  process.exit(1);
}
