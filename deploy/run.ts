// The deploy and diff commands as functions: used by scripts/, the tests and the benchmark alike.
import { dirname, resolve } from 'node:path';
import { bundleActions } from '../actions/bundle.js';
import { loadDesiredState, type DesiredState } from './config/load.js';
import { freeTenantBudget, type BudgetOptions } from './http/budget.js';
import { resolveVerificationKey, type VerificationKey } from './keys.js';
import { importWithDeployCli } from './passthrough.js';
import { applyPlan, type ApplyResult } from './plan/apply.js';
import {
  checkCheckpoint,
  desiredStateHash,
  unchangedPlan,
  type Checkpoint,
} from './plan/checkpoint.js';
import {
  checkpointReadiness,
  leaveCheckpoint,
  type CheckpointPlan,
} from './plan/checkpoint-run.js';
import { createContext, createPlan, type Plan } from './plan/plan.js';
import {
  gitOrigin,
  finishRelease,
  releaseToRecord,
  type PendingRelease,
  type ReleaseOrigin,
} from './releases/deploy-release.js';
import type { Release } from './releases/record.js';
import { latestLogId, onlyOwnWritesBetween } from './plan/tenant-logs.js';
import type { Refusal, ResourceContext } from './resources/types.js';
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
  /** Skip the checkpoint fast path: read every managed type (the scheduled drift check uses it). */
  refresh?: boolean;
  /** false for diff (read-only): never writes the checkpoint, so it does not read the log id a write would need. */
  mayWriteCheckpoint?: boolean;
  log?: (line: string) => void;
  /**
   * Sees the desired state once it is loaded, before the first request to the tenant (the scripts run the tenant
   * checks here, so the configuration is read once); throwing stops the run.
   */
  beforeConnect?: (desired: DesiredState) => void;
}

export interface Prepared {
  target: Target;
  desired: DesiredState;
  verificationKey: VerificationKey;
  plan: Plan;
  stats: RequestStats;
  context: ReturnType<typeof createContext>;
  checkpoint: CheckpointPlan;
  close(): Promise<void>;
}

export async function prepare(options: RunOptions): Promise<Prepared> {
  const log = options.log ?? (() => undefined);
  const variables = options.variables ?? process.env;
  const target =
    options.target ??
    (await resolveTarget({
      env: options.env,
      variables,
      ...(options.startLocalTenant ? { startLocalTenant: options.startLocalTenant } : {}),
    }));
  const verificationKey = resolveVerificationKey({
    dir: options.keysDir ?? 'keys',
    variables,
    createIfMissing: options.env === 'local',
  });
  if (verificationKey.source === 'generated')
    log(`created the resource server key pair in ${options.keysDir ?? 'keys'}/ (npm run keys)`);
  // The tenant file being deployed declares which npm packages Auth0 installs (the bundles keep them external).
  if (options.build !== false)
    await bundleActions(options.tenantFile ? { tenantFile: options.tenantFile } : {});
  const desired = loadDesiredState({
    tenantFile: options.tenantFile ?? 'tenant/tenant.yaml',
    env: options.env,
    variables,
    computedKeywords: {
      AUTH0_DOMAIN: target.domain,
      RESOURCE_SERVER_VERIFICATION_KEY: verificationKey.publicPem,
    },
  });
  options.beforeConnect?.(desired);
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
    ...collectWarnings(warnings, log),
    progress: log,
  });
  try {
    const planTarget = { domain: target.domain, env: target.env, source: target.source };
    const hash = desiredStateHash(
      desired,
      verificationKey.publicPem,
      target.clientSecret ?? target.clientAssertionSigningKey ?? '',
    );
    const state = await checkCheckpoint(context, hash, { refresh: options.refresh === true });
    if (state.check.usable) {
      const plan = unchangedPlan(planTarget, state.check.checkpoint, context);
      log(
        `checkpoint of ${state.check.checkpoint.verifiedAt} holds: no tenant log entry since ${state.check.checkpoint.logId} changes state`,
      );
      return {
        target,
        desired,
        verificationKey,
        plan,
        stats: tenant.stats,
        context,
        checkpoint: { hash, state, refresh: false },
        close: tenant.close,
      };
    }
    log(`reading the whole tenant: ${state.check.reason}`);
    const checkpoint: CheckpointPlan = {
      hash,
      state,
      refresh: options.refresh === true,
      ...(await checkpointReadiness(context, desired, state, options.mayWriteCheckpoint !== false)),
    };
    if (checkpoint.notWritable && options.mayWriteCheckpoint !== false)
      log(`no checkpoint will be written: ${checkpoint.notWritable}`);
    const plan = await createPlan(context, planTarget, {
      allowDelete: options.allowDelete === true,
    });
    plan.warnings.push(...warnings);
    return {
      target,
      desired,
      verificationKey,
      plan,
      stats: tenant.stats,
      context,
      checkpoint,
      close: tenant.close,
    };
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
  /** The checkpoint this run wrote on the deploy client, if any. */
  checkpointWritten?: Checkpoint;
  /** The release this run recorded on the deploy client, if any. */
  release?: Release;
}

/** A context's warn and refuse: both collect the message and log it; a refusal is a warning with data. */
function collectWarnings(
  warnings: string[],
  log: ((line: string) => void) | undefined,
): Pick<ResourceContext, 'warn' | 'refuse'> {
  const warn = (message: string): void => {
    warnings.push(message);
    log?.(`warning: ${message}`);
  };
  return { warn, refuse: (refusal) => warn(refusal.message) };
}

function describeRefusals(refusals: readonly Refusal[]): string {
  return `the tenant refused ${refusals.map((r) => `${r.fields.join(', ')} on ${r.type} "${r.key}"`).join('; ')}`;
}

/** Applies a prepared plan: the very object that was shown. */
export async function applyPrepared(
  prepared: Prepared,
  options: Pick<RunOptions, 'allowDelete' | 'log'> & {
    /** Where the configuration came from (default: the git checkout holding the tenant file). */
    origin?: ReleaseOrigin;
  },
): Promise<DeployOutcome> {
  const warnings: string[] = [];
  const context = { ...prepared.context, ...collectWarnings(warnings, options.log) };
  const origin = (): ReleaseOrigin =>
    options.origin ?? {
      ...gitOrigin(dirname(resolve(prepared.desired.files.tenant))),
      kind: 'deploy',
    };
  const pendingRelease = (result: ApplyResult): Promise<PendingRelease | undefined> =>
    releaseToRecord({
      context,
      plan: prepared.plan,
      checkpoint: prepared.checkpoint,
      result,
      origin,
      env: prepared.target.env,
      ...(options.log ? { log: options.log } : {}),
    });
  if (prepared.plan.basis) {
    const result: ApplyResult = {
      applied: 0,
      verified: true,
      remaining: [],
      pendingDeletes: [],
      refusals: [],
    };
    // The checkpoint holds, but the newest release may be of another configuration (or there is none yet).
    const release = await pendingRelease(result);
    const recorded = await finishRelease(context, prepared.checkpoint, release, false, options.log);
    return {
      plan: prepared.plan,
      result,
      stats: prepared.stats,
      warnings,
      ...(recorded ? { release: recorded } : {}),
    };
  }
  const { checkpoint } = prepared;
  let logId = checkpoint.logIdBeforeRead;
  const result = await applyPlan(
    prepared.plan,
    context,
    checkpoint.notWritable
      ? {}
      : {
          // The checkpoint's log id comes before the verifying reads. The types the apply did not touch were read after
          // logIdBeforeRead: if only this run's own writes were logged since, re-reading the touched types verifies all.
          beforeVerify: async () => {
            logId = await latestLogId(context).catch(() => undefined);
            const before = checkpoint.logIdBeforeRead;
            const provable =
              before !== undefined &&
              logId !== undefined &&
              (await onlyOwnWritesBetween(context, before, logId, prepared.stats.writeRequests));
            return { verifyAllTypes: !provable };
          },
        },
  );
  // Sections we do not manage go to auth0-deploy-cli before the release is recorded: a release describes the
  // whole deploy, and a failed import records none.
  if (Object.keys(prepared.desired.passthrough).length > 0) {
    options.log?.(
      `handing ${Object.keys(prepared.desired.passthrough).join(', ')} to auth0-deploy-cli`,
    );
    await importWithDeployCli(
      prepared.target,
      prepared.desired.passthrough,
      dirname(resolve(prepared.desired.files.tenant)),
      options.allowDelete === true,
    );
  }
  // A tenant that refused a field (verificationKey on real Auth0) is known to differ there: not a verified state.
  const refused = result.refusals.length > 0 ? describeRefusals(result.refusals) : undefined;
  const release = await pendingRelease(result);
  const checkpointWritten = await leaveCheckpoint(
    prepared.context,
    prepared.checkpoint,
    result,
    refused,
    logId,
    options.log,
    release?.entries,
  );
  const recorded = await finishRelease(
    context,
    prepared.checkpoint,
    release,
    checkpointWritten !== undefined,
    options.log,
  );
  if (result.verified && prepared.verificationKey.promote && !refused) {
    prepared.verificationKey.promote();
    options.log?.(
      'published the next resource server key and promoted it to current (restart the banking API)',
    );
  }
  return {
    plan: prepared.plan,
    result,
    stats: prepared.stats,
    warnings,
    ...(checkpointWritten ? { checkpointWritten } : {}),
    ...(recorded ? { release: recorded } : {}),
  };
}
