// The recorded tenant of recorded-shapes.test.ts: Auth0's recorded bodies as the stand-in serves them, and a
// tenant.yaml + env file that describe exactly the same values.
import { secretsHash, withMarker } from '../../deploy/resources/action-marker.js';
import { recorded, type RecordedState } from './recorded-tenant.js';

export const marker = { managed_by: 'tenant-as-code' };
const actionSecrets = [{ name: 'mySecretName', value: 'mySecretValue' }];

/** A recorded Action as the tenant holds it after our deploy: the code begins with our marker line. */
function deployedByUs(action: Record<string, unknown>): Record<string, unknown> {
  const code = withMarker(action.code as string, {
    managedBy: 'tenant-as-code',
    secrets: secretsHash(actionSecrets),
  });
  return { ...action, code };
}

export const actionCode = {
  deployed: recorded<{ code: string }>('action-deployed.json').code,
  bound: recorded<{ code: string }>('action-built.json').code,
};

// Every value below is the recorded one (see the fixtures); only keys the config can express are listed.
export const tenantYaml = `
resourceServers:
  - name: Test Resource Server (Aug  7 18:59:58.635)
    identifier: https://api.example.com/
    signing_alg: HS256
    token_lifetime: 7200
    token_lifetime_for_web: 3600
    token_dialect: access_token
    allow_offline_access: false
    skip_consent_for_verifiable_first_party_clients: false
    enforce_policies: false
    scopes:
      - { value: create:resource, description: Create Resource }
      - { value: create:organization_client_grants, description: Create Org Client Grants }

clients:
  - name: client.dev
    app_type: regular_web
    token_endpoint_auth_method: none
    callbacks: [https://client.dev/oauth/callback]
    grant_types: [authorization_code]
    oidc_conformant: true
    is_first_party: false
    sso_disabled: false
    # Not in the recorded body: Auth0 leaves it out when it is off.
    cross_origin_authentication: false
    jwt_configuration: { alg: RS256, lifetime_in_seconds: 3600 }
    refresh_token:
      rotation_type: rotating
      expiration_type: expiring
      leeway: 0
      token_lifetime: 2592000
      infinite_token_lifetime: false
      idle_token_lifetime: 1296000
      infinite_idle_token_lifetime: false
  - name: Test Client (Jan 20 13:02:53.414)
    description: This is just a test client.
    grant_types: [authorization_code, implicit, refresh_token, client_credentials]
    # None of these lists is in the recorded client: Auth0 leaves out a list that holds nothing.
    callbacks: []
    allowed_logout_urls: []
    web_origins: []
    allowed_origins: []
    oidc_conformant: false
    is_first_party: true
    sso_disabled: false
    cross_origin_authentication: false
    jwt_configuration: { alg: RS256 }
    refresh_token: { rotation_type: non-rotating, expiration_type: non-expiring, leeway: 0 }

clientGrants:
  - client_id: Test Client (Jan 20 13:02:53.414)
    audience: https://api.example.com/
    scope: [create:resource]
    subject_type: user

databases:
  - name: Test-Auth0-Connection-1757344549
    strategy: auth0
    enabled_clients: []
    options:
      passwordPolicy: good
      brute_force_protection: true
      strategy_version: 2
      mfa: { active: true, return_enroll_settings: true }

actions:
  - name: Test Action (Jan 13 11:50:54.438)
    code: ./code/deployed.js
    runtime: node18
    deployed: true
    supported_triggers: [{ id: custom-token-exchange, version: v1 }]
    secrets: [{ name: mySecretName, value: mySecretValue }]
  - name: Test Action (Jan 25 18:42:12.107)
    code: ./code/bound.js
    runtime: node16
    deployed: false
    supported_triggers: [{ id: post-login, version: v2 }]
    dependencies:
      - { name: lodash, version: 4.0.0, registry_url: "https://www.npmjs.com/package/lodash" }
    secrets: [{ name: mySecretName, value: mySecretValue }]

triggers:
  post-login:
    - { action_name: Test Action (Jan 25 18:42:12.107), display_name: My test action Binding }

guardianFactors:
  - { name: otp, enabled: true }
  - { name: sms, enabled: false }

guardianPolicies:
  policies: []

tenant:
  friendly_name: My Example Tenant
  support_email: support@example.com
  support_url: https://support.example.com
  session_lifetime: 1080
  idle_session_lifetime: 720
  enabled_locales: [fr, en, es]
`;

export const envFile = {
  deploy: {
    users: [
      {
        email: 'chuck878@example.com',
        connection: 'Username-Password-Authentication',
        password: 'not-compared-create-only',
        email_verified: true,
        name: 'chuck878@example.com',
      },
    ],
  },
};

/** The recorded resources, as the tenant holds them after this repository deployed them (ownership markers). */
export function recordedState(): RecordedState {
  const user = recorded('user.json');
  return {
    resourceServers: [recorded('resource-server.json')],
    clients: [
      ...[recorded('client-cimd.json'), recorded('client-private-key-jwt.json')].map((client) => ({
        ...client,
        client_metadata: marker,
      })),
      // Not in tenant.yaml and not made by this repository, with an Auth0 system grant: left alone.
      recorded('client-express-configuration.json'),
    ],
    clientGrants: [
      recorded('client-grant.json'),
      ...recorded<{ client_grants: Record<string, unknown>[] }>('client-grants-system.json')
        .client_grants,
    ],
    connections: [{ ...recorded('connection-auth0.json'), metadata: marker }],
    actions: [recorded('action-deployed.json'), recorded('action-built.json')].map(deployedByUs),
    bindings: { 'post-login': recorded<{ bindings: [] }>('bindings-post-login.json').bindings },
    guardianFactors: recorded('guardian-factors.json'),
    guardianPolicies: [],
    tenantSettings: recorded('tenant-settings.json'),
    users: [
      {
        ...user,
        app_metadata: { ...(user.app_metadata as object), ...marker },
      },
    ],
  };
}
