// The credentials-exchange trigger: the Actions bound to it run in binding order before /oauth/token returns a
// client-credentials token (https://auth0.com/docs/customize/actions/explore-triggers/credentials-exchange). One
// token state is shared: a later Action sees the claims set before it in event.accessToken.customClaims; the
// first api.access.deny stops the flow and no token is issued.
import type { ActionCacheRegistry } from './action-cache.js';
import { inProcessExecutor, type ActionExecutor, type ExecutionResult } from './executor.js';
import { newPipelineState, AUTH0_TRIGGER_TIMEOUT_MS } from './pipeline.js';
import { ActionApiUsageError } from './post-login-api.js';
import { ActionExecutionError } from './sandbox.js';
import type { DeployedPostLoginAction } from './types.js';

/** The event fields the token endpoint knows; the runtime adds accessToken.customClaims and secrets. */
export interface CredentialsExchangeEventInput {
  accessToken: { scope: string[] };
  client: { client_id: string; name: string; metadata: Record<string, string> };
  request: {
    ip: string;
    method: string;
    hostname: string;
    user_agent?: string;
    language?: string;
    body: Record<string, unknown>;
    geoip: Record<string, unknown>;
  };
  resource_server: { identifier: string };
  tenant: { id: string };
  transaction: { requested_scopes: string[] };
}

export type CredentialsExchangeOutcome =
  | { status: 'completed'; claims: Record<string, unknown> }
  | { status: 'denied'; code: string; reason: string }
  | { status: 'failed'; reason: string };

export async function runCredentialsExchangeTrigger(run: {
  actions: readonly DeployedPostLoginAction[];
  event: CredentialsExchangeEventInput;
  cache: ActionCacheRegistry;
  timeoutMs?: number;
  executor?: ActionExecutor;
}): Promise<CredentialsExchangeOutcome> {
  let effects = newPipelineState().effects;
  let elapsedMs = 0;
  const budgetMs = run.timeoutMs ?? AUTH0_TRIGGER_TIMEOUT_MS;
  for (const action of run.actions) {
    const event = {
      ...run.event,
      accessToken: { ...run.event.accessToken, customClaims: { ...effects.accessTokenClaims } },
      secrets: { ...action.secrets },
    };
    let result: ExecutionResult;
    try {
      result = await (run.executor ?? inProcessExecutor).run({
        code: action.code,
        event,
        effects,
        cacheEntries: [...run.cache.entriesOf(action.actionId)],
        canRedirect: false,
        filename: `action:${action.name}`,
        timeoutMs: Math.max(1, Math.floor(budgetMs - elapsedMs)),
        trigger: 'credentials-exchange',
      });
    } catch (error) {
      const known = error instanceof ActionExecutionError || error instanceof ActionApiUsageError;
      return { status: 'failed', reason: known ? error.message : String(error) };
    }
    elapsedMs += result.durationMs;
    effects = result.effects;
    run.cache.replace(action.actionId, result.cacheEntries);
    const { deniedCode, deniedReason } = result.control;
    if (deniedCode !== undefined)
      return { status: 'denied', code: deniedCode, reason: deniedReason ?? '' };
  }
  return { status: 'completed', claims: effects.accessTokenClaims };
}
