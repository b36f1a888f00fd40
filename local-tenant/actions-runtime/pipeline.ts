// Resumable post-login pipeline. Actions run one at a time in binding order; when one calls
// api.authentication.challengeWith*, the pipeline stops AFTER that Action and returns its state, the caller
// runs the MFA page (or mfa_required dance), records the completed factor and resumes: the next Action then
// sees the refreshed event.authentication.methods (Auth0 refreshes methods only when an Action starts).
import { ActionCacheRegistry } from './action-cache.js';
import { ActionApiUsageError } from './post-login-api.js';
import { ActionExecutionError } from './sandbox.js';
import { inProcessExecutor, type ActionExecutor, type ExecutionResult } from './executor.js';
import type {
  AuthenticationMethod,
  ChallengeFactor,
  DeployedPostLoginAction,
  PipelineOutcome,
  PipelineState,
  PostLoginEventInput,
} from './types.js';

/** Auth0: the whole trigger execution must finish within 20 s (docs/auth0-facts.md §2). */
export const AUTH0_TRIGGER_TIMEOUT_MS = 20_000;

export interface PipelineRun {
  actions: readonly DeployedPostLoginAction[];
  event: PostLoginEventInput;
  /** Undefined on the first run of a transaction; the state returned by a `challenge` outcome when resuming. */
  state?: PipelineState;
  /** First-factor methods for a fresh run (e.g. `[{name:'pwd', …}]`). */
  initialMethods?: AuthenticationMethod[];
  cache: ActionCacheRegistry;
  timeoutMs?: number;
  /**
   * False for oauth2-resource-owner, oauth2-refresh-token and prompt=none (docs/auth0-facts.md §1).
   */
  canRedirect: boolean;
  /** Default: in this thread. The server uses a WorkerActionExecutor. */
  executor?: ActionExecutor;
}

export function newPipelineState(initialMethods: AuthenticationMethod[] = []): PipelineState {
  return {
    nextActionIndex: 0,
    effects: {
      accessTokenClaims: {},
      idTokenClaims: {},
      scopeOperations: [],
      transactionMetadata: {},
      appMetadata: {},
      userMetadata: {},
    },
    authenticationMethods: initialMethods.map((method) => ({ ...method })),
    elapsedMs: 0,
    mfaCompletedInTransaction: false,
  };
}

/** Records a completed MFA challenge so the next Action sees `{name:'mfa', timestamp, type}`. */
export function recordMfaCompleted(
  state: PipelineState,
  factorType: string,
  at: Date = new Date(),
): PipelineState {
  return {
    ...state,
    authenticationMethods: [
      ...state.authenticationMethods,
      { name: 'mfa', timestamp: at.toISOString(), type: factorType },
    ],
    mfaCompletedInTransaction: true,
    mfaFactorsInTransaction: [...(state.mfaFactorsInTransaction ?? []), factorType],
  };
}

export async function runPostLoginPipeline(run: PipelineRun): Promise<PipelineOutcome> {
  const state: PipelineState = structuredClone(run.state ?? newPipelineState(run.initialMethods));
  const budgetMs = run.timeoutMs ?? AUTH0_TRIGGER_TIMEOUT_MS;
  while (state.nextActionIndex < run.actions.length) {
    const action = run.actions[state.nextActionIndex]!;
    const event = {
      ...run.event,
      transaction: { ...run.event.transaction, metadata: { ...state.effects.transactionMetadata } },
      authentication: { methods: state.authenticationMethods },
      secrets: { ...action.secrets },
    };
    let result: ExecutionResult;
    try {
      result = await (run.executor ?? inProcessExecutor).run({
        code: action.code,
        dependencies: action.dependencies ?? [],
        event,
        effects: state.effects,
        cacheEntries: [...run.cache.entriesOf(action.actionId)],
        canRedirect: run.canRedirect,
        filename: `action:${action.name}`,
        timeoutMs: Math.max(1, Math.floor(budgetMs - state.elapsedMs)),
      });
    } catch (error) {
      return failure(error);
    }
    // Only execution time counts against the budget (not queueing or starting the worker thread).
    state.elapsedMs += result.durationMs;
    state.effects = result.effects;
    run.cache.replace(action.actionId, result.cacheEntries);
    const control = result.control;
    state.nextActionIndex += 1;
    if (control.deniedReason !== undefined)
      return { status: 'denied', reason: control.deniedReason };
    // Auth0: a challengeWith* is already satisfied by a matching factor completed in this transaction (not by
    // an MFA an SSO session carries from an earlier login), so the user is not prompted again.
    if (control.challenge && !satisfiedInTransaction(state, control.challenge))
      return {
        status: 'challenge',
        state,
        factors: control.challenge.factors,
        mode: control.challenge.mode,
      };
  }
  const multifactor = state.effects.multifactor;
  const mfaRequired =
    multifactor !== undefined &&
    multifactor.provider !== 'none' &&
    !state.mfaCompletedInTransaction;
  return { status: 'completed', state, mfaRequired };
}

function satisfiedInTransaction(
  state: PipelineState,
  challenge: { factors: ChallengeFactor[]; mode: 'challenge' | 'enroll' },
): boolean {
  const completed = state.mfaFactorsInTransaction ?? [];
  return (
    challenge.mode === 'challenge' &&
    challenge.factors.some((factor) => completed.includes(factor.type))
  );
}

function failure(error: unknown): PipelineOutcome {
  if (error instanceof ActionExecutionError || error instanceof ActionApiUsageError)
    return { status: 'failed', reason: error.message };
  return { status: 'failed', reason: String(error) };
}

/** Applies the Actions' addScope/removeScope calls, in call order, to the scopes computed by Auth0's rules. */
export function applyScopeOperations(scopes: readonly string[], state: PipelineState): string[] {
  const result = [...scopes];
  for (const { op, scope } of state.effects.scopeOperations) {
    const index = result.indexOf(scope);
    if (op === 'add' && index === -1) result.push(scope);
    if (op === 'remove' && index !== -1) result.splice(index, 1);
  }
  return result;
}

export { ActionCacheRegistry };
