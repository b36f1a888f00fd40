// Shared command-line handling of deploy and diff: arguments, output format, error messages and exit codes.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ensureLocalTenantRunning } from '../local-tenant/ensure.js';
import { loadDotEnv } from '../lib/env.js';
import { ConfigError } from './config/errors.js';
import { formatJson } from './format/json.js';
import { formatMarkdown } from './format/markdown.js';
import { formatText } from './format/text.js';
import { KeyError } from './keys.js';
import type { Plan } from './plan/plan.js';
import { TargetConfigError } from './target/target.js';
import type { LocalTenantConnection } from './target/target.js';

export type Format = 'text' | 'markdown' | 'json';

export interface CliArguments {
  env: string;
  format: Format;
  allowDelete: boolean;
  yes: boolean;
  tenantFile: string;
  refresh: boolean;
}

export function parseCli(argv: string[]): CliArguments {
  const { values } = parseArgs({
    args: argv,
    options: {
      env: { type: 'string', default: 'local' },
      format: { type: 'string', default: 'text' },
      'allow-delete': { type: 'boolean', default: false },
      yes: { type: 'boolean', short: 'y', default: false },
      file: { type: 'string', default: 'tenant/tenant.yaml' },
      refresh: { type: 'boolean', default: false },
    },
  });
  const format = values.format as string;
  if (!['text', 'markdown', 'json'].includes(format))
    throw new UsageError(`--format must be text, markdown or json (got "${format}")`);
  if (!/^[A-Za-z0-9_-]+$/.test(values.env as string))
    throw new UsageError(`--env must be a plain name like local or prod (got "${values.env}")`);
  loadDotEnv();
  return {
    env: values.env as string,
    format: format as Format,
    allowDelete: values['allow-delete'] as boolean,
    yes: values.yes as boolean,
    tenantFile: values.file as string,
    refresh: values.refresh as boolean,
  };
}

export class UsageError extends Error {
  override name = 'UsageError';
}

/** The deploy stopped before any write because its deletions were not confirmed. */
export class DeployAborted extends Error {
  override name = 'DeployAborted';
}

export function renderPlan(plan: Plan, format: Format): string {
  if (format === 'json') return formatJson(plan);
  if (format === 'markdown') return formatMarkdown(plan);
  return formatText(plan, { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR });
}

/** Progress goes to stderr so stdout stays a clean plan (json/markdown are piped into files and PR comments). */
export function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Known failures print one clear message and exit 1; anything else is a bug and keeps its stack trace. */
export function exitOnError(error: unknown): never {
  if (error instanceof ConfigError)
    process.stderr.write(`Config error — nothing was sent to the tenant:\n${error.message}\n`);
  else if (
    error instanceof TargetConfigError ||
    error instanceof UsageError ||
    error instanceof KeyError ||
    error instanceof DeployAborted
  )
    process.stderr.write(`${error.message}\n`);
  else if (error instanceof Error) process.stderr.write(`${error.stack ?? error.message}\n`);
  else process.stderr.write(`${String(error)}\n`);
  process.exit(1);
}

/** --env local without AUTH0_*: the local tenant, started in the background when it is not running. */
export async function startLocalTenant(): Promise<LocalTenantConnection> {
  const { env, started, logPath } = await ensureLocalTenantRunning();
  if (started)
    progress(`started the local tenant on https://${env.AUTH0_DOMAIN} (log: ${logPath})`);
  return {
    domain: env.AUTH0_DOMAIN,
    clientId: env.AUTH0_CLIENT_ID,
    clientSecret: env.AUTH0_CLIENT_SECRET,
    caCertPem: readFileSync(env.NODE_EXTRA_CA_CERTS, 'utf8'),
  };
}
