// The command lines of `npm run deploy` and `npm run diff`: one description each gives --help, the one-line usage
// error and the parsed arguments. Output formats and --env names are checked here, before anything is read.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import {
  CommandLineError,
  envNameProblem,
  parseCommandLine,
  exitWithUsageError,
  type CommandSpec,
  type OptionSpec,
} from '../lib/cli-args.js';
import { loadDotEnv } from '../lib/env.js';
import { isOneOf } from '../lib/guards.js';

export type Format = 'text' | 'markdown' | 'json';
export const formats: readonly Format[] = ['text', 'markdown', 'json'];

export interface CliArguments {
  env: string;
  format: Format;
  allowDelete: boolean;
  yes: boolean;
  tenantFile: string;
  refresh: boolean;
}

/** `--env <name>` of the commands that act on the tenant a deploy of that env targets. */
export const targetEnvOption = {
  type: 'string',
  default: 'local',
  value: '<name>',
  description: 'target tenant, as for npm run deploy',
} satisfies OptionSpec;

const planOptions = {
  env: {
    type: 'string',
    default: 'local',
    value: '<name>',
    description:
      'target: tenant/env/<name>.json and, except for local, AUTH0_* in the environment or .env',
  },
  format: {
    type: 'string',
    default: 'text',
    value: 'text|markdown|json',
    description:
      'plan format on stdout (progress goes to stderr); use npm run --silent for machine formats',
  },
  file: {
    type: 'string',
    default: 'tenant/tenant.yaml',
    value: '<path>',
    description: 'the desired tenant',
  },
  'allow-delete': {
    type: 'boolean',
    description: 'delete resources this repository created that the config no longer has',
  },
  refresh: {
    type: 'boolean',
    description:
      'read every managed type instead of trusting the checkpoint of the last verified deploy',
  },
} satisfies Record<string, OptionSpec>;

export const diffCommand = {
  command: 'npm run diff --',
  name: 'diff',
  summary:
    'Plans: reads the target tenant and prints what `npm run deploy` would change. Changes nothing.',
  options: planOptions,
  examples: [
    'npm run diff',
    'npm run diff -- --env dev',
    'npm run --silent diff -- --env prod --format markdown > plan.md',
  ],
  notes: [
    'Exit codes: 0 = no changes, 2 = changes, 1 = error (a usage error included: 2 already means "changes").',
  ],
  usageExitCode: 1,
} satisfies CommandSpec<typeof planOptions>;

const deployOptions = {
  ...planOptions,
  yes: {
    type: 'boolean',
    short: 'y',
    description: 'confirm a plan with deletions without asking (CI)',
  },
} satisfies Record<string, OptionSpec>;

export const deployCommand = {
  command: 'npm run deploy --',
  name: 'deploy',
  summary:
    'Builds the Actions, plans, shows the plan and applies exactly that plan, then verifies the tenant.\n' +
    'With --env local and no AUTH0_* set it deploys to the local tenant, starting it in the background.',
  options: deployOptions,
  examples: [
    'npm run deploy',
    'npm run deploy -- --env dev',
    'npm run deploy -- --env prod --allow-delete --yes',
  ],
  notes: ['Exit codes: 0 = applied and verified (or nothing to do), 1 = error, 2 = usage error.'],
} satisfies CommandSpec<typeof deployOptions>;

/** Parses and checks deploy's or diff's arguments; throws CommandLineError for a bad line, returns help text. */
export function readCliArguments(
  command: 'deploy' | 'diff',
  argv: string[],
): CliArguments | { help: string } {
  const outcome =
    command === 'deploy'
      ? parseCommandLine(deployCommand, argv)
      : parseCommandLine(diffCommand, argv);
  if (outcome.kind === 'help') return { help: outcome.text };
  const { values } = outcome;
  if (!isOneOf(formats, values.format))
    throw new CommandLineError(`--format must be text, markdown or json (got "${values.format}")`);
  const envProblem = envNameProblem(values.env);
  if (envProblem) throw new CommandLineError(envProblem);
  checkEnvironmentFile(values.file, values.env);
  return {
    env: values.env,
    format: values.format,
    allowDelete: values['allow-delete'],
    yes: 'yes' in values && values.yes === true,
    tenantFile: values.file,
    refresh: values.refresh,
  };
}

/** For the scripts: help → exit 0, bad line → one line and the command's usage exit code; then loads .env. */
export function parseCli(command: 'deploy' | 'diff', argv = process.argv.slice(2)): CliArguments {
  const spec = command === 'deploy' ? deployCommand : diffCommand;
  try {
    const args = readCliArguments(command, argv);
    if ('help' in args) {
      process.stdout.write(args.help);
      process.exit(0);
    }
    loadDotEnv();
    return args;
  } catch (error) {
    if (error instanceof CommandLineError) exitWithUsageError(spec, error.message);
    throw error;
  }
}

/** --env names a values file next to the tenant file; a typo must name that file, not the AUTH0_* variables. */
export function checkEnvironmentFile(tenantFile: string, env: string): void {
  const envDir = join(dirname(tenantFile), 'env');
  const envFile = join(envDir, `${env}.json`);
  if (existsSync(envFile)) return;
  const known = existsSync(envDir)
    ? readdirSync(envDir)
        .filter((name) => name.endsWith('.json'))
        .map((name) => name.replace(/\.json$/, ''))
    : [];
  throw new CommandLineError(
    `--env ${env}: ${displayPath(envFile)} does not exist` +
      (known.length > 0 ? ` (environments: ${known.join(', ')})` : ''),
  );
}

function displayPath(path: string): string {
  const inside = relative(process.cwd(), path);
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : path;
}
