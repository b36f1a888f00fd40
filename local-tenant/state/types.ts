// Record types of everything the local tenant stores. One JSON document (TenantState) is the whole tenant;
// the Authentication API's persisted collections (refresh tokens) live here too, so one atomic write keeps them consistent.
import type { RefreshTokenRecord } from './refresh-tokens.js';

export type { RefreshTokenGrant, RefreshTokenRecord } from './refresh-tokens.js';

/** Fields are kept in Auth0's wire shape (snake_case) so Management API responses are projections of records. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface ResourceServerRecord extends JsonObject {
  id: string;
  identifier: string;
  name: string;
  is_system: boolean;
  scopes: { value: string; description?: string }[];
}

export interface ClientCredentialRecord {
  id: string;
  /** public_key: private_key_jwt; cert_subject_dn / x509_cert: (self-signed) TLS client authentication. */
  credential_type: 'public_key' | 'cert_subject_dn' | 'x509_cert';
  name?: string;
  /** Empty for a cert_subject_dn credential given by subject_dn alone. */
  pem: string;
  /** For TLS credentials only kept internally (Auth0 reports neither alg nor kid for them). */
  alg: 'RS256' | 'RS384' | 'PS256';
  kid: string;
  subject_dn?: string;
  thumbprint_sha256?: string;
  created_at: string;
  updated_at: string;
  expires_at?: string;
}

export interface ClientRecord extends JsonObject {
  client_id: string;
  /** Stored as issued: Auth0 shows client secrets again to holders of read:client_keys. */
  client_secret: string;
  name: string;
  app_type: string;
  grant_types: string[];
  token_endpoint_auth_method: string | null;
  is_first_party: boolean;
  // Bookkeeping, never returned: `credentials_method` (the client_authentication_methods entry its credentials
  // belong to; absent = private_key_jwt) and `defaulted_fields` (fields the tenant filled in itself, which
  // Auth0 does not echo, e.g. app_type when none was sent).
}

export interface ClientGrantRecord extends JsonObject {
  id: string;
  client_id: string;
  audience: string;
  scope: string[];
  subject_type: string;
}

export type ActionBuildStatus = 'pending' | 'building' | 'built' | 'failed';

export interface ActionSecretRecord {
  name: string;
  value: string;
  updated_at: string;
}

export interface ActionRecord {
  id: string;
  name: string;
  supported_triggers: { id: string; version?: string }[];
  code: string;
  runtime: string;
  dependencies: { name: string; version: string; registry_url?: string }[];
  secrets: ActionSecretRecord[];
  modules: JsonObject[];
  status: ActionBuildStatus;
  created_at: string;
  updated_at: string;
  built_at?: string;
  /** Id of the deployed version, if any. */
  deployed_version_id?: string;
  /** True when the draft equals the deployed version. */
  all_changes_deployed: boolean;
}

export interface ActionVersionRecord {
  id: string;
  action_id: string;
  number: number;
  code: string;
  runtime: string;
  dependencies: ActionRecord['dependencies'];
  secrets: ActionSecretRecord[];
  supported_triggers: ActionRecord['supported_triggers'];
  status: 'built';
  created_at: string;
  updated_at: string;
  built_at: string;
}

export interface TriggerBindingRecord {
  id: string;
  trigger_id: string;
  action_id: string;
  display_name: string;
  created_at: string;
  updated_at: string;
}

export interface ConnectionRecord extends JsonObject {
  id: string;
  name: string;
  strategy: string;
  enabled_clients: string[];
}

/** An MFA factor a user enrolled (the hosted MFA pages fill these; the Management API reports them). */
export interface MfaEnrollmentRecord {
  id: string;
  type:
    | 'otp'
    | 'email'
    | 'sms'
    | 'push-notification'
    | 'webauthn-roaming'
    | 'webauthn-platform'
    | 'recovery-code';
  status: 'pending' | 'confirmed';
  name?: string;
  /** Factor secret (e.g. base32 TOTP seed). Never returned by the Management API. */
  secret?: string;
  created_at: string;
  confirmed_at?: string;
}

export interface UserRecord {
  user_id: string;
  connection: string;
  email?: string;
  email_verified: boolean;
  username?: string;
  /** scrypt hash (see passwords.ts); plain passwords are never stored. */
  password_hash?: string;
  profile: JsonObject;
  user_metadata: JsonObject;
  app_metadata: JsonObject;
  blocked: boolean;
  mfa_enrollments: MfaEnrollmentRecord[];
  created_at: string;
  updated_at: string;
  last_login?: string;
  /** Set when the password is changed through the Management API. */
  last_password_reset?: string;
  logins_count: number;
}

/** An App Specific Password (docs/asp.md). Only a hash of the value is kept. */
export interface ApplicationPasswordRecord {
  id: string;
  user_id: string;
  label: string;
  audience: string;
  scope: string[];
  value_hash: string;
  created_at: string;
  last_accessed?: string;
}

/** The public half of a token-signing key as the JWKS lists it. */
export type PublicSigningJwk = {
  kty: string;
  n: string;
  e: string;
  kid: string;
  alg: 'RS256';
  use: 'sig';
};

export interface SigningKeyRecord {
  kid: string;
  /** PKCS#8 PEM. The state file lives under the git-ignored state dir with mode 0600. */
  private_key_pem: string;
  public_jwk: PublicSigningJwk;
  created_at: string;
  /** current: signs tokens; next: published in JWKS before it signs; previous: published, no longer signs. */
  status: 'current' | 'next' | 'previous';
}

/** A tenant log event in Auth0's shape (GET /api/v2/logs). Only Management API writes are recorded (sapi/fapi). */
export interface LogEventRecord {
  /** Fixed-width decimal string: string order = numeric order = recording order (checkpoint `from`). */
  log_id: string;
  date: string;
  type: 'sapi' | 'fapi';
  description: string;
  client_id: string;
  client_name: string;
  ip: string;
  user_agent?: string;
  details: {
    request: {
      method: string;
      path: string;
      query: Record<string, string>;
      channel: string;
      auth: { strategy: 'jwt'; credentials: { scopes: string[] } };
    };
    response: { statusCode: number };
  };
}

export interface GuardianState {
  factors: Record<string, { enabled: boolean; trial_expired: boolean }>;
  policies: string[];
  /** Factor settings documents by path below /guardian/factors/ (see management/guardian-settings.ts). */
  settings?: Record<string, JsonObject>;
}

export interface TenantState {
  version: 1;
  resource_servers: ResourceServerRecord[];
  clients: ClientRecord[];
  client_credentials: Record<string, ClientCredentialRecord[]>;
  client_grants: ClientGrantRecord[];
  actions: ActionRecord[];
  action_versions: ActionVersionRecord[];
  trigger_bindings: TriggerBindingRecord[];
  guardian: GuardianState;
  tenant_settings: JsonObject;
  connections: ConnectionRecord[];
  users: UserRecord[];
  application_passwords: ApplicationPasswordRecord[];
  signing_keys: SigningKeyRecord[];
  /** private_key_jwt assertion ids already used, with their expiry (epoch seconds) for pruning. */
  used_assertion_ids: Record<string, number>;
  /** Tenant logs, oldest first, bounded (see management/log-events.ts). */
  logs: LogEventRecord[];
  /** Last log sequence number issued; never reused, also after old entries are dropped. */
  log_sequence: number;
  /** Refresh tokens by SHA-256 of the token (see state/refresh-tokens.ts). */
  refresh_tokens: Record<string, RefreshTokenRecord>;
}
