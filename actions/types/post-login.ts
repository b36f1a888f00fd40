// Typings for the parts of Auth0's post-login trigger v3 (`event`, `api`) that our Actions, the test kit and the
// local tenant's Actions runtime use. `@auth0/actions` is not installable here, so these are written from the
// reference pages (https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/login-trigger/post-login-event-object
// and …/post-login-api-object). Only documented fields; everything Auth0 marks optional is optional here so
// Actions are forced to handle its absence. Pieces every trigger shares live in ./common.ts.
import type {
  ActionClient,
  ActionConnection,
  ActionRequest,
  ActionSecrets,
  ActionTenant,
  ActionUser,
  JsonValue,
} from './common.js';

export type { UserIdentity } from './common.js';

/** Documented values of `event.transaction.protocol`. */
export type TransactionProtocol =
  | 'oidc-basic-profile'
  | 'oidc-ciba'
  | 'oidc-ciba-web-link'
  | 'oidc-implicit-profile'
  | 'oidc-hybrid-profile'
  | 'oauth2-device-code'
  | 'oauth2-resource-owner'
  | 'oauth2-resource-owner-jwt-bearer'
  | 'oauth2-password'
  | 'oauth2-webauthn'
  | 'oauth2-access-token'
  | 'oauth2-refresh-token'
  | 'oauth2-token-exchange'
  | 'samlp'
  | 'wsfed'
  | 'wstrust-usernamemixed';

/**
 * One entry of `event.authentication.methods`. First factors: `pwd`, `federated`, `passkey`, `sms`, `email`,
 * `phone_number`, `mock` or a custom-method URL; a completed MFA challenge is `{name: 'mfa', type: <factor>}`.
 * `timestamp` is a string whose format Auth0 does not document (ISO-8601 observed in examples).
 */
export interface AuthenticationMethod {
  name: string;
  timestamp: string;
  /** Only on `mfa` entries: the factor used (`otp`, `phone`, `push-notification`, …). */
  type?: string;
}

export interface EnrolledFactor {
  type: string;
  options?: Record<string, unknown>;
}

export interface PostLoginUser extends ActionUser {
  /** Enrolled MFA providers, e.g. `['guardian']`. */
  multifactor?: string[];
  enrolledFactors?: EnrolledFactor[];
}

export type PostLoginClient = ActionClient;

export interface PostLoginTransaction {
  id?: string;
  acr_values?: string[];
  /** Scopes asked for when the flow started (not what the token will finally carry). Optional per Auth0. */
  requested_scopes?: string[];
  protocol?: TransactionProtocol;
  redirect_uri?: string;
  response_type?: string[];
  response_mode?: 'query' | 'fragment' | 'form_post' | 'web_message';
  state?: string;
  prompt?: string[];
  login_hint?: string;
  locale?: string;
  ui_locales: string[];
  correlation_id?: string;
  metadata?: Record<string, string | number | boolean>;
}

export type PostLoginRequest = ActionRequest;

export interface PostLoginEvent {
  user: PostLoginUser;
  client: PostLoginClient;
  transaction?: PostLoginTransaction;
  authentication?: {
    methods: AuthenticationMethod[];
  };
  /** The API (audience) the token is requested for; absent when no audience was asked for. */
  resource_server?: { identifier: string };
  request: PostLoginRequest;
  connection: ActionConnection;
  tenant: ActionTenant;
  stats: { logins_count: number };
  /** Secrets bound to this Action; a secret that was never set is simply absent. */
  secrets: ActionSecrets;
  authorization?: { roles: string[] };
  session?: { id: string; created_at?: string; updated_at?: string; authenticated_at?: string };
}

/** Factor object for `api.authentication.challengeWith*` (Universal Login only). */
export type MfaFactor =
  | { type: 'otp' | 'email' | 'recovery-code' | 'webauthn-platform' | 'webauthn-roaming' }
  | { type: 'push-notification'; options?: { otpFallback?: boolean } }
  | { type: 'phone'; options?: { preferredMethod?: 'sms' | 'voice' | 'both' } };

export type MultifactorProvider = 'any' | 'none' | 'guardian' | 'google-authenticator' | 'duo';

export interface MultifactorEnableOptions {
  allowRememberBrowser?: boolean;
  providerOptions?: { host: string; ikey: string; skey: string; username?: string };
}

/** JSON-serialisable custom-claim value. */
export type ClaimValue = JsonValue;

export interface PostLoginApi {
  access: {
    /** Marks the login denied; later Actions do not run. */
    deny(reason: string): void;
  };
  accessToken: {
    setCustomClaim(name: string, value: ClaimValue): void;
    addScope(scope: string): void;
    removeScope(scope: string): void;
  };
  idToken: {
    setCustomClaim(name: string, value: ClaimValue): void;
  };
  multifactor: {
    /** Deferred: the challenge happens at the end of the flow, after every Action has run. */
    enable(provider: MultifactorProvider, options?: MultifactorEnableOptions): void;
  };
  authentication: {
    /** Immediate: later Actions wait for it and see `{name:'mfa'}` in `event.authentication.methods`. */
    challengeWith(factor: MfaFactor, options?: { additionalFactors?: MfaFactor[] }): void;
    challengeWithAny(factors: MfaFactor[]): void;
  };
}

export type OnExecutePostLogin = (event: PostLoginEvent, api: PostLoginApi) => Promise<void>;
