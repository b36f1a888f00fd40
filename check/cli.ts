// `npm run check`: arguments, the report in the chosen format, and the exit code.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  defineCommand,
  envNameProblem,
  exitWithUsageError,
  type ParsedValues,
} from '../lib/cli-args.js';
import { isOneOf } from '../lib/guards.js';
import { checkJsonReport } from './format/json.js';
import { formatCheckMarkdown } from './format/markdown.js';
import { checkSarifLog } from './format/sarif.js';
import { formatCheckText } from './format/text.js';
import { passes, type Report } from './run.js';

export const formats = ['text', 'markdown', 'json', 'sarif'] as const;
export type CheckFormat = (typeof formats)[number];

export const checkCommand = defineCommand({
  command: 'npm run check --',
  name: 'check',
  summary:
    "Reviews the tenant's security and correctness: the desired state (tenant.yaml + tenant/env/<env>.json, no\n" +
    'tenant, build or network needed) or, with --live, the tenant as it is (read-only Management API scopes).',
  options: {
    env: { type: 'string', default: 'local', value: '<name>', description: 'environment' },
    'all-envs': {
      type: 'boolean',
      description: 'every tenant/env/*.json next to the tenant file',
    },
    file: {
      type: 'string',
      default: 'tenant/tenant.yaml',
      value: '<path>',
      description: 'tenant.yaml to check (its env files in env/ beside it)',
    },
    format: {
      type: 'string',
      default: 'text',
      value: '<format>',
      description: 'text, markdown (PR comment), json or sarif (GitHub code scanning)',
    },
    live: { type: 'boolean', description: 'check the live tenant of --env instead of the files' },
    strict: { type: 'boolean', description: 'unwaived warnings fail too' },
    waivers: {
      type: 'string',
      value: '<path>',
      description: 'waiver file (default: check-waivers.yaml beside the tenant file)',
    },
  },
  examples: [
    'npm run check',
    'npm run check -- --all-envs --strict            # what CI runs on a pull request',
    'npm run --silent check -- --env prod --format sarif > check.sarif',
    'npm run check -- --live --env dev               # the dev tenant as it is now',
  ],
  notes: [
    'Exit codes: 0 = no error findings, 1 = error findings or an error running the check, 2 = usage error.',
  ],
});

export interface CheckArguments {
  envs: string[];
  tenantFile: string;
  format: CheckFormat;
  live: boolean;
  strict: boolean;
  waiversFile: string;
}

/** Validates the parsed command line; a bad value is a one-line usage error (exit 2). */
export function checkArgumentsOf(
  values: ParsedValues<(typeof checkCommand)['options']>,
): CheckArguments {
  const fail: (message: string) => never = (message) => exitWithUsageError(checkCommand, message);
  if (!isOneOf(formats, values.format))
    fail(`--format must be one of ${formats.join(', ')} (got "${values.format}")`);
  const envProblem = envNameProblem(values.env);
  if (envProblem) fail(envProblem);
  if (values.live && values['all-envs']) fail('--live checks one tenant: give --env');
  const envs = values['all-envs'] ? envsBeside(values.file) : [values.env];
  return {
    envs,
    tenantFile: values.file,
    format: values.format,
    live: values.live,
    strict: values.strict,
    waiversFile: values.waivers ?? resolve(dirname(resolve(values.file)), 'check-waivers.yaml'),
  };
}

/** The env names with a values file beside the tenant file, in a stable order. */
export function envsBeside(tenantFile: string): string[] {
  const dir = resolve(dirname(resolve(tenantFile)), 'env');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .sort();
}

export function renderReports(reports: Report[], format: CheckFormat, color: boolean): string {
  if (format === 'sarif') {
    // One SARIF log, one run per environment.
    const logs = reports.map(checkSarifLog);
    const runs = logs.flatMap((log) => log.runs);
    return `${JSON.stringify({ ...logs[0], runs }, null, 2)}\n`;
  }
  if (format === 'json') {
    const items = reports.map(checkJsonReport);
    return `${JSON.stringify(items.length === 1 ? items[0] : items, null, 2)}\n`;
  }
  const render = (report: Report) =>
    format === 'markdown' ? formatCheckMarkdown(report) : formatCheckText(report, { color });
  return reports.map(render).join('\n');
}

export function allPass(reports: Report[], strict: boolean): boolean {
  return reports.every((report) => passes(report, strict));
}
