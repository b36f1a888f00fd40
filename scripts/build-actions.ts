// npm run build: bundle the Actions to dist/actions, print each bundle's size and what weighs most in it, and
// fail when one outgrows its budget (actions/build-config.json) or Auth0's 100 kB limit.
import { relative } from 'node:path';
import { bundleActions } from '../actions/bundle.js';
import { parseCommandLineOrExit } from '../lib/cli-args.js';
import { errorMessage } from '../lib/guards.js';

parseCommandLineOrExit({
  command: 'npm run build --',
  name: 'build',
  summary:
    'Bundles every actions/src/*.ts to dist/actions/ (esbuild) and prints sizes, hashes and the largest inputs;\n' +
    "npm packages are bundled in unless tenant.yaml declares them as the Action's dependencies. Fails when a\n" +
    'bundle outgrows its budget in actions/build-config.json. No options.',
  options: {},
  examples: ['npm run build'],
});

try {
  const bundles = await bundleActions();
  for (const bundle of bundles) {
    console.log(
      `${bundle.name.padEnd(24)} ${String(bundle.bytes).padStart(7)} bytes  ${bundle.trigger.padEnd(22)} sha256 ${bundle.sha256}  ${relative(process.cwd(), bundle.path)}`,
    );
    const inputs = bundle.largestInputs
      .slice(0, 3)
      .map((input) => `${input.path} ${input.bytes} B`)
      .join(', ');
    console.log(`${''.padEnd(33)}largest inputs: ${inputs}`);
    if (bundle.dependencies.length > 0)
      console.log(
        `${''.padEnd(33)}Auth0 dependencies: ${bundle.dependencies.map((d) => `${d.name}@${d.version}`).join(', ')}`,
      );
  }
} catch (error) {
  console.error(`build-actions: ${errorMessage(error)}`);
  process.exit(1);
}
