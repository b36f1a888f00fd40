// `npm run check`: arguments, the report in the chosen format, and the exit code.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatCheckJson } from './format/json.js';
import { formatCheckMarkdown } from './format/markdown.js';
import { formatCheckSarif } from './format/sarif.js';
import { formatCheckText } from './format/text.js';
import { passes, type Report } from './run.js';

export const formats = ['text', 'markdown', 'json', 'sarif'] as const;
export type CheckFormat = (typeof formats)[number];

export const usage = `Usage: npm run check -- [--env <name> | --all-envs] [--file tenant/tenant.yaml]
                        [--format text|markdown|json|sarif] [--live] [--strict] [--waivers <file>]

Reviews the tenant's security and correctness: the desired state (tenant.yaml + tenant/env/<env>.json, no tenant
needed) or, with --live, the tenant as it is (read-only Management API scopes).

Options:
  --env <name>       environment (default: local); repeat for several
  --all-envs         every tenant/env/*.json next to the tenant file
  --file <path>      tenant.yaml to check (its env files in env/ beside it)
  --format <f>       text (default), markdown (PR comment), json, sarif (GitHub code scanning)
  --live             check the live tenant of --env instead of the files
  --strict           unwaived warnings fail too
  --waivers <path>   waiver file (default: check-waivers.yaml beside the tenant file)
  -h, --help         this help

Exit codes: 0 = no errors, 1 = error findings (or an error running the check), 2 = usage error.

Examples:
  npm run check                                   # local env, text
  npm run check -- --all-envs --strict            # what CI runs on a pull request
  npm run --silent check -- --env prod --format sarif > check.sarif
  npm run check -- --live --env dev               # the dev tenant as it is now`;

export interface CheckArguments {
  envs: string[];
  allEnvs: boolean;
  tenantFile: string;
  format: CheckFormat;
  live: boolean;
  strict: boolean;
  waiversFile: string;
  help: boolean;
}

export class CheckUsageError extends Error {}

export function parseCheckArguments(argv: string[]): CheckArguments {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        env: { type: 'string', multiple: true },
        'all-envs': { type: 'boolean', default: false },
        file: { type: 'string', default: 'tenant/tenant.yaml' },
        format: { type: 'string', default: 'text' },
        live: { type: 'boolean', default: false },
        strict: { type: 'boolean', default: false },
        waivers: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new CheckUsageError((error as Error).message.split('\n')[0]!);
  }
  const format = values.format!;
  if (!(formats as readonly string[]).includes(format))
    throw new CheckUsageError(`--format must be one of ${formats.join(', ')} (got "${format}")`);
  const envs = values.env ?? [];
  for (const env of envs)
    if (!/^[A-Za-z0-9_-]+$/.test(env))
      throw new CheckUsageError(`--env must be a plain name like local or prod (got "${env}")`);
  if (values['all-envs'] && envs.length > 0)
    throw new CheckUsageError('use either --env or --all-envs');
  if (values.live && values['all-envs'])
    throw new CheckUsageError('--live checks one tenant: give --env');
  const tenantFile = values.file!;
  return {
    envs: envs.length > 0 ? envs : ['local'],
    allEnvs: values['all-envs']!,
    tenantFile,
    format: format as CheckFormat,
    live: values.live!,
    strict: values.strict!,
    waiversFile: values.waivers ?? resolve(dirname(resolve(tenantFile)), 'check-waivers.yaml'),
    help: values.help!,
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
    const runs = reports.flatMap(
      (report) => (JSON.parse(formatCheckSarif(report)) as { runs: unknown[] }).runs,
    );
    const [first] = reports.map(
      (report) => JSON.parse(formatCheckSarif(report)) as Record<string, unknown>,
    );
    return `${JSON.stringify({ ...first, runs }, null, 2)}\n`;
  }
  if (format === 'json') {
    const items = reports.map((report) => JSON.parse(formatCheckJson(report)) as unknown);
    return `${JSON.stringify(items.length === 1 ? items[0] : items, null, 2)}\n`;
  }
  const render = (report: Report) =>
    format === 'markdown' ? formatCheckMarkdown(report) : formatCheckText(report, { color });
  return reports.map(render).join('\n');
}

export function allPass(reports: Report[], strict: boolean): boolean {
  return reports.every((report) => passes(report, strict));
}
