// Shapes shared by the post-login Actions runtime. Everything in PipelineState is plain JSON because the
// pipeline pauses mid-way (challengeWith) and its state is kept inside the login transaction.
import type { JsonObject } from '../state/types.js';

/** One deployed Action version as bound to the post-login trigger, in binding order. */
export interface DeployedPostLoginAction {
  actionId: string;
  name: string;
  versionId: string;
  /** The exact code string uploaded through the Management API for this deployed version. */
  code: string;
  secrets: Record<string, string>;
  /** npm packages the version declares; the Action's `require` finds only these and node built-ins. */
  dependencies?: { name: string; version: string }[];
}

export interface AuthenticationMethod {
  name: string;
  timestamp: string;
  /** For `mfa` entries: the factor used (otp, phone, …). */
  type?: string;
}

export interface ChallengeFactor {
  type: string;
  options?: Record<string, unknown>;
}

export type ScopeOperation = { op: 'add' | 'remove'; scope: string };

/** What the Actions asked for; applied by the token issuer after the trigger completes. */
export interface PipelineEffects {
  accessTokenClaims: Record<string, unknown>;
  idTokenClaims: Record<string, unknown>;
  scopeOperations: ScopeOperation[];
  /** multifactor.enable: challenge deferred to the end of the flow. */
  multifactor?: { provider: string; allowRememberBrowser: boolean };
  transactionMetadata: Record<string, string | number | boolean>;
  /** JSON forms of what api.user.setAppMetadata / setUserMetadata were given. */
  appMetadata: JsonObject;
  userMetadata: JsonObject;
}

export interface PipelineState {
  /** Index (in binding order) of the next Action to run. */
  nextActionIndex: number;
  effects: PipelineEffects;
  /** Refreshed into event.authentication.methods when each Action starts. */
  authenticationMethods: AuthenticationMethod[];
  /** Milliseconds of Action execution already consumed in this transaction. */
  elapsedMs: number;
  /** True once an MFA challenge was passed during THIS transaction (a session's old MFA does not count). */
  mfaCompletedInTransaction: boolean;
  /** Factor types of the challenges passed during THIS transaction (a later challengeWith* for one is satisfied). */
  mfaFactorsInTransaction?: string[];
}

/** The parts of the `event` that the caller (the login flow) knows; the runtime adds authentication/secrets. */
export interface PostLoginEventInput {
  client: { client_id: string; name: string; metadata: Record<string, string> };
  transaction: {
    id: string;
    protocol: string;
    requested_scopes: string[];
    acr_values: string[];
    prompt: string[];
    redirect_uri?: string;
    response_type: string[];
    response_mode?: string;
    state?: string;
    login_hint?: string;
    ui_locales: string[];
    locale: string;
  };
  resource_server?: { identifier: string };
  user: Record<string, unknown> & { user_id: string };
  request: {
    ip: string;
    method: string;
    hostname: string;
    user_agent?: string;
    language?: string;
    query: Record<string, unknown>;
    body: Record<string, unknown>;
    geoip: Record<string, unknown>;
  };
  connection: { id: string; name: string; strategy: string; metadata: Record<string, string> };
  tenant: { id: string };
  stats: { logins_count: number };
  authorization?: { roles: string[] };
  session?: { id: string };
}

export type PipelineOutcome =
  | { status: 'completed'; state: PipelineState; mfaRequired: boolean }
  | {
      status: 'challenge';
      state: PipelineState;
      factors: ChallengeFactor[];
      mode: 'challenge' | 'enroll';
    }
  | { status: 'denied'; reason: string }
  | { status: 'failed'; reason: string };
