// Shared command-line handling of deploy and diff: arguments, output format, error messages and exit codes.
import { readFileSync } from 'node:fs';
import { ensureLocalTenantRunning } from '../local-tenant/ensure.js';
import { StateFolderInUseError } from '../local-tenant/ops/state-lock.js';
import { ConfigError } from './config/errors.js';
import { formatJson } from './format/json.js';
import { formatMarkdown } from './format/markdown.js';
import { formatText } from './format/text.js';
import type { Format } from './cli-options.js';
import { KeyError } from './keys.js';
import type { Plan } from './plan/plan.js';
import { describeTargetFailure } from './target/failures.js';
import { TargetConfigError } from './target/target.js';
import type { LocalTenantConnection } from './target/target.js';

export type { CliArguments, Format } from './cli-options.js';
export { parseCli } from './cli-options.js';

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
  else if (describeTargetFailure(error) !== undefined)
    process.stderr.write(`${describeTargetFailure(error)}\n`);
  else if (error instanceof Error) process.stderr.write(`${error.stack ?? error.message}\n`);
  else process.stderr.write(`${String(error)}\n`);
  process.exit(1);
}

/** --env local without AUTH0_*: the local tenant, started in the background when it is not running. */
export async function startLocalTenant(): Promise<LocalTenantConnection> {
  const { env, started, logPath } = await ensureLocalTenantRunning().catch((error: unknown) => {
    throw error instanceof StateFolderInUseError ? new TargetConfigError(error.message) : error;
  });
  if (started)
    progress(`started the local tenant on https://${env.AUTH0_DOMAIN} (log: ${logPath})`);
  return {
    domain: env.AUTH0_DOMAIN,
    clientId: env.AUTH0_CLIENT_ID,
    clientSecret: env.AUTH0_CLIENT_SECRET,
    caCertPem: readFileSync(env.NODE_EXTRA_CA_CERTS, 'utf8'),
  };
}
