// Runs bound post-login Actions in order the way Auth0 does: one shared token state, deny stops the flow, a
// challengeWith* completes before the next Action starts (which then sees `{name:'mfa'}` in
// event.authentication.methods), and multifactor.enable is only reported as deferred to the end of the flow.
import type { OnExecutePostLogin, PostLoginEvent } from '../types/post-login.js';
import { createApiRecorder, type ApiRecorder } from './api-recorder.js';

export interface NamedAction {
  name: string;
  onExecutePostLogin: OnExecutePostLogin;
}

export interface FlowOptions {
  /** Scopes the access token starts with (what Auth0 computed before Actions); default the requested scopes. */
  grantedScopes?: readonly string[];
  /**
   * What happens when an Action challenges; default 'pass'. 'remembered' models a remembered browser satisfying
   * the challenge without a prompt (UNCONFIRMED Auth0 behaviour): nothing is recorded unless
   * `rememberedMfaAgeSeconds` says how old the recorded `mfa` method is.
   */
  mfaOutcome?: 'pass' | 'fail' | 'remembered';
  rememberedMfaAgeSeconds?: number;
  /** `type` of the mfa method recorded after a passed challenge; default the first offered factor's type. */
  mfaFactorType?: string;
}

export interface FlowResult {
  outcome: 'completed' | 'denied' | 'mfa-failed';
  /** Names of the Actions that ran, in order. */
  executed: string[];
  /** The event each Action received, in order (after methods were refreshed). */
  events: PostLoginEvent[];
  recorder: ApiRecorder;
  /** What the issued access token would carry, or undefined when no token is issued. */
  accessToken: { scopes: string[]; claims: ApiRecorder['accessToken']['claims'] } | undefined;
  /** multifactor.enable asked for a challenge after all Actions (not visible to any Action). */
  deferredMfa: ApiRecorder['multifactor'];
}

export async function runPostLoginFlow(
  actions: readonly NamedAction[],
  event: PostLoginEvent,
  options: FlowOptions = {},
): Promise<FlowResult> {
  const recorder = createApiRecorder(
    options.grantedScopes ?? event.transaction?.requested_scopes ?? [],
  );
  let current = structuredClone(event);
  const executed: string[] = [];
  const events: PostLoginEvent[] = [];
  let outcome: FlowResult['outcome'] = 'completed';

  for (const action of actions) {
    const challengesBefore = recorder.challenges.length;
    // Each Action gets its own copy: Auth0 serialises the event per Action, so mutations do not leak.
    const seen = structuredClone(current);
    events.push(seen);
    executed.push(action.name);
    await action.onExecutePostLogin(seen, recorder.api);
    if (recorder.deniedReason !== undefined) {
      outcome = 'denied';
      break;
    }
    const challenge = recorder.challenges.at(-1);
    if (recorder.challenges.length > challengesBefore && challenge) {
      if (options.mfaOutcome === 'fail') {
        outcome = 'mfa-failed';
        break;
      }
      const type = options.mfaFactorType ?? challenge[0]?.type ?? 'otp';
      if (options.mfaOutcome !== 'remembered')
        current = withCompletedMfa(current, type, new Date());
      else if (options.rememberedMfaAgeSeconds !== undefined)
        current = withCompletedMfa(
          current,
          type,
          new Date(Date.now() - options.rememberedMfaAgeSeconds * 1000),
        );
    }
  }

  const issued = outcome === 'completed';
  return {
    outcome,
    executed,
    events,
    recorder,
    accessToken: issued
      ? { scopes: recorder.accessToken.scopes, claims: recorder.accessToken.claims }
      : undefined,
    deferredMfa: issued ? recorder.multifactor : undefined,
  };
}

function withCompletedMfa(event: PostLoginEvent, factorType: string, at: Date): PostLoginEvent {
  const methods = [
    ...(event.authentication?.methods ?? []),
    { name: 'mfa', timestamp: at.toISOString(), type: factorType },
  ];
  return { ...event, authentication: { ...event.authentication, methods } };
}
