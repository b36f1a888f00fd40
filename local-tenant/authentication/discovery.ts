// OIDC discovery and the JWKS: what a relying party (auth0-spa-js, openid-client) reads before anything else.
//   https://auth0.com/docs/get-started/applications/configure-applications-with-oidc-discovery
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context.js';
import type { GrantRegistry } from './grants.js';

export function discoveryRoutes(
  app: FastifyInstance,
  tenant: TenantContext,
  grants: GrantRegistry,
): void {
  app.get('/.well-known/jwks.json', async () => tenant.keys.jwks());

  app.get('/.well-known/openid-configuration', async () => ({
    issuer: tenant.issuer,
    authorization_endpoint: `${tenant.baseUrl}/authorize`,
    token_endpoint: `${tenant.baseUrl}/oauth/token`,
    userinfo_endpoint: `${tenant.baseUrl}/userinfo`,
    // Auth0 also advertises mfa_challenge_endpoint; the local tenant does not emulate the MFA API (/mfa/*), so it
    // leaves it out rather than point clients at a 404. MFA happens on the hosted pages and the mfa-otp grant.
    jwks_uri: `${tenant.baseUrl}/.well-known/jwks.json`,
    revocation_endpoint: `${tenant.baseUrl}/oauth/revoke`,
    // Local tenant only: Auth0's discovery has no introspection_endpoint; see introspection.ts.
    introspection_endpoint: `${tenant.baseUrl}/oauth/introspect`,
    scopes_supported: [
      'openid',
      'profile',
      'offline_access',
      'name',
      'given_name',
      'family_name',
      'nickname',
      'email',
      'email_verified',
      'picture',
      'created_at',
      'identities',
      'phone',
      'address',
    ],
    response_types_supported: [
      'code',
      'token',
      'id_token',
      'code token',
      'code id_token',
      'token id_token',
      'code token id_token',
    ],
    code_challenge_methods_supported: ['S256', 'plain'],
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['HS256', 'RS256', 'PS256'],
    token_endpoint_auth_methods_supported: [
      'client_secret_basic',
      'client_secret_post',
      'private_key_jwt',
    ],
    token_endpoint_auth_signing_alg_values_supported: ['RS256', 'RS384', 'PS256'],
    grant_types_supported: grants.types(),
    claims_supported: [
      'aud',
      'auth_time',
      'created_at',
      'email',
      'email_verified',
      'exp',
      'family_name',
      'given_name',
      'iat',
      'identities',
      'iss',
      'name',
      'nickname',
      'phone_number',
      'picture',
      'sub',
    ],
    request_uri_parameter_supported: false,
    request_parameter_supported: false,
  }));
}
