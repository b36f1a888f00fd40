// Authentication API plugin: /oauth/token (grant registry), JWKS and OIDC discovery.
import type { FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import { OAuthError } from '../errors.js';
import type { TenantContext } from '../context.js';
import { clientCredentialsGrant } from './client-credentials.js';
import { userLoginPlugin } from './user-login-plugin.js';

function flattenParams(body: unknown): Record<string, string> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') params[key] = first;
    else if (typeof first === 'number' || typeof first === 'boolean') params[key] = String(first);
  }
  return params;
}

export async function authenticationPlugin(
  app: FastifyInstance,
  { tenant }: { tenant: TenantContext },
): Promise<void> {
  await app.register(formbody);
  tenant.grants.register('client_credentials', clientCredentialsGrant);
  // Part 2: browser logins, MFA, user grants, /userinfo, /oauth/introspect.
  await userLoginPlugin(app, tenant);

  app.post('/oauth/token', async (request, reply) => {
    const params = flattenParams(request.body);
    const grantType = params.grant_type;
    if (!grantType)
      throw new OAuthError(400, 'invalid_request', 'Missing required parameter: grant_type');
    const handler = tenant.grants.get(grantType);
    if (!handler)
      throw new OAuthError(403, 'unsupported_grant_type', `Unsupported grant type: ${grantType}`);
    const response = await handler({ params, request, reply, tenant });
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    return response;
  });

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
    // Local tenant only: Auth0's discovery has no introspection_endpoint (facts §7); seed 003's draft endpoint.
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
    grant_types_supported: tenant.grants.types(),
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
