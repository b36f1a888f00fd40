// The deploy and diff commands as functions: used by scripts/, the tests and the benchmark alike.
import { dirname, resolve } from 'node:path';
import { bundleActions } from '../actions/bundle.js';
import { loadDesiredState, type DesiredState } from './config/load.js';
import { freeTenantBudget, type BudgetOptions } from './http/budget.js';
import { resolveVerificationKey, type VerificationKey } from './keys.js';
import { importWithDeployCli } from './passthrough.js';
import { applyPlan, type ApplyResult } from './plan/apply.js';
import { createContext, createPlan, type Plan } from './plan/plan.js';
import { connect, type RequestStats } from './target/management-client.js';
import { resolveTarget, type LocalTenantConnection, type Target } from './target/target.js';

export interface RunOptions {
  env: string;
  tenantFile?: string;
  /** Directory of the resource-server key files (default keys/). */
  keysDir?: string;
  /** A resolved target (tests); otherwise from AUTH0_* or the local tenant. */
  target?: Target;
  variables?: NodeJS.ProcessEnv;
  startLocalTenant?: () => Promise<LocalTenantConnection>;
  allowDelete?: boolean;
  /** Overrides the env file's budget (tests run faster than a Free tenant allows). */
  budget?: BudgetOptions;
  backoffBaseMs?: number;
  /** Bundle the Actions first (default true). */
  build?: boolean;
  log?: (line: string) => void;
}

export interface Prepared {
  target: Target;
  desired: DesiredState;
  verificationKey: VerificationKey;
  plan: Plan;
  stats: RequestStats;
  context: ReturnType<typeof createContext>;
  close(): Promise<void>;
}

export async function prepare(options: RunOptions): Promise<Prepared> {
  const log = options.log ?? (() => undefined);
  const variables = options.variables ?? process.env;
  const target = options.target ?? (await resolveTarget({ env: options.env, variables, ...(options.startLocalTenant ? { startLocalTenant: options.startLocalTenant } : {}) }));
  const verificationKey = resolveVerificationKey({ dir: options.keysDir ?? 'keys', variables, createIfMissing: options.env === 'local' });
  if (verificationKey.source === 'generated') log(`created the resource server key pair in ${options.keysDir ?? 'keys'}/ (npm run keys)`);
  if (options.build !== false) await bundleActions();
  const desired = loadDesiredState({
    tenantFile: options.tenantFile ?? 'tenant/tenant.yaml',
    env: options.env,
    variables,
    computedKeywords: { AUTH0_DOMAIN: target.domain, RESOURCE_SERVER_VERIFICATION_KEY: verificationKey.publicPem },
  });
  const warnings: string[] = [];
  const tenant = connect(target, {
    budget: options.budget ?? desired.deploy.rateLimit ?? freeTenantBudget,
    onRetry: (message) => log(`  … ${message}`),
    ...(options.backoffBaseMs !== undefined ? { backoffBaseMs: options.backoffBaseMs } : {}),
  });
  const context = createContext({
    mgmt: tenant.mgmt,
    deployClientId: target.clientId,
    desired,
    warn: (message) => {
      warnings.push(message);
      log(`warning: ${message}`);
    },
    progress: log,
  });
  try {
    const plan = await createPlan(context, { domain: target.domain, env: target.env, source: target.source }, { allowDelete: options.allowDelete === true });
    plan.warnings.push(...warnings);
    return { target, desired, verificationKey, plan, stats: tenant.stats, context, close: tenant.close };
  } catch (error) {
    await tenant.close();
    throw error;
  }
}

export interface DeployOutcome {
  plan: Plan;
  result: ApplyResult;
  stats: RequestStats;
  warnings: string[];
}

export class DeployAborted extends Error {
  override name = 'DeployAborted';
}

/** Applies a prepared plan: the very object that was shown. */
export async function applyPrepared(prepared: Prepared, options: Pick<RunOptions, 'allowDelete' | 'log'>): Promise<DeployOutcome> {
  const warnings: string[] = [];
  const context = { ...prepared.context, warn: (message: string) => { warnings.push(message); options.log?.(`warning: ${message}`); } };
  const result = await applyPlan(prepared.plan, context);
  // A tenant that refused verificationKey (real Auth0) stays different in that one field: known, warned about.
  const refused = warnings.some((warning) => warning.includes('verificationKey'));
  result.remaining = result.remaining.filter((change) => !(refused && change.type === 'resourceServers' && change.fields.every((field) => field.path === 'verificationKey')));
  result.verified = result.remaining.length === 0;
  if (result.verified && prepared.verificationKey.promote && !refused) {
    prepared.verificationKey.promote();
    options.log?.('published the next resource server key and promoted it to current (restart the banking API)');
  }
  if (Object.keys(prepared.desired.passthrough).length > 0) {
    options.log?.(`handing ${Object.keys(prepared.desired.passthrough).join(', ')} to auth0-deploy-cli`);
    await importWithDeployCli(prepared.target, prepared.desired.passthrough, dirname(resolve(prepared.desired.files.tenant)), options.allowDelete === true);
  }
  return { plan: prepared.plan, result, stats: prepared.stats, warnings };
}
