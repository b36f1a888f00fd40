// The state of a fresh tenant: the factors, tenant settings and database connection a new Auth0 tenant has.
import type { TenantState } from './types.js';

export const guardianFactorNames = [
  'sms',
  'push-notification',
  'otp',
  'email',
  'duo',
  'webauthn-roaming',
  'webauthn-platform',
  'recovery-code',
] as const;

export const defaultDatabaseConnectionName = 'Username-Password-Authentication';

export function emptyState(): TenantState {
  return {
    version: 1,
    resource_servers: [],
    clients: [],
    client_credentials: {},
    client_grants: [],
    actions: [],
    action_versions: [],
    trigger_bindings: [],
    guardian: {
      factors: Object.fromEntries(
        guardianFactorNames.map((name) => [name, { enabled: false, trial_expired: false }]),
      ),
      policies: [],
    },
    tenant_settings: {
      friendly_name: 'Local Tenant',
      // No allowed_logout_urls: Auth0 leaves it out until it is set (recorded since 2025).
      enabled_locales: ['en'],
      session_lifetime: 168,
      idle_session_lifetime: 72,
      flags: {
        enable_sso: true,
        universal_login: true,
        revoke_refresh_token_grant: false,
        remove_alg_from_jwks: false,
      },
      sandbox_version: '22',
      // Auth0's defaults in a fresh tenant's recorded answers.
      oidc_logout: { rp_logout_end_session_endpoint_discovery: true },
      phone_consolidated_experience: false,
      // Not an Auth0 default (a new tenant has none): the password grant without a realm needs it.
      default_directory: defaultDatabaseConnectionName,
    },
    connections: [
      {
        id: 'con_localDefaultDb0001',
        name: defaultDatabaseConnectionName,
        strategy: 'auth0',
        display_name: defaultDatabaseConnectionName,
        is_domain_connection: false,
        realms: [defaultDatabaseConnectionName],
        enabled_clients: [],
        options: {
          passwordPolicy: 'good',
          brute_force_protection: true,
          mfa: { active: true, return_enroll_settings: true },
        },
        authentication: { active: true },
        connected_accounts: { active: false },
      },
    ],
    users: [],
    application_passwords: [],
    signing_keys: [],
    used_assertion_ids: {},
    logs: [],
    log_sequence: 0,
    refresh_tokens: {},
  };
}
