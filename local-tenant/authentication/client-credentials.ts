// grant_type=client_credentials: an M2M access token for an API the client has a client grant on, after the
// credentials-exchange Actions had their say (deny, custom claims).
import { OAuthError } from '../errors.js';
import { authenticateClient } from './client-auth.js';
import { credentialsExchangeClaims } from './credentials-exchange.js';
import type { GrantHandler, GrantRequest } from './grants.js';
import type { AuthRuntime } from './runtime.js';
import { stringOrUndefined } from '../../lib/guards.js';

const defaultTokenLifetimeSeconds = 86_400;

export const clientCredentialsGrant =
  (runtime: AuthRuntime): GrantHandler =>
  (grant) =>
    issueClientCredentialsToken(grant, runtime);

async function issueClientCredentialsToken(
  { params, request, tenant }: GrantRequest,
  runtime: AuthRuntime,
) {
  const { client } = await authenticateClient(tenant, request, params);
  request.clientIdForLog = client.client_id;
  if (!client.grant_types.includes('client_credentials')) {
    throw new OAuthError(
      403,
      'unauthorized_client',
      "Grant type 'client_credentials' not allowed for the client.",
      {
        error_uri: 'https://auth0.com/docs/clients/client-grant-types',
      },
    );
  }
  const state = tenant.store.snapshot;
  const audience = params.audience ?? stringOrUndefined(state.tenant_settings.default_audience);
  if (!audience) {
    throw new OAuthError(
      403,
      'access_denied',
      'No audience parameter was provided, and no default audience has been configured',
    );
  }
  const api = state.resource_servers.find((candidate) => candidate.identifier === audience);
  if (!api) throw new OAuthError(403, 'access_denied', `Service not found: ${audience}`);
  const grant = state.client_grants.find(
    (candidate) =>
      candidate.client_id === client.client_id &&
      candidate.audience === audience &&
      candidate.subject_type !== 'user',
  );
  if (!grant) {
    throw new OAuthError(
      403,
      'access_denied',
      `Client is not authorized to access "${audience}". You need to create a "client-grant" associated to this API. See: https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants`,
    );
  }
  // Requested scopes narrow the grant; scopes outside it are dropped (UNCONFIRMED: Auth0 may reject them).
  const requested = params.scope?.split(' ').filter(Boolean);
  const scopes = requested ? grant.scope.filter((scope) => requested.includes(scope)) : grant.scope;
  const customClaims = await credentialsExchangeClaims(tenant, runtime, {
    client,
    request,
    audience,
    scopes,
    requestedScopes: requested ?? [],
  });
  const lifetime =
    typeof api.token_lifetime === 'number' ? api.token_lifetime : defaultTokenLifetimeSeconds;
  const accessToken = await tenant.keys.sign(
    {
      ...customClaims,
      iss: tenant.issuer,
      sub: `${client.client_id}@clients`,
      aud: audience,
      scope: scopes.join(' '),
      gty: 'client-credentials',
      azp: client.client_id,
      ...(api.token_dialect === 'access_token_authz' ||
      api.token_dialect === 'rfc9068_profile_authz'
        ? { permissions: scopes }
        : {}),
    },
    {
      expiresIn: lifetime,
      ...(String(api.token_dialect ?? '').startsWith('rfc9068') ? { typ: 'at+jwt' } : {}),
    },
  );
  return {
    access_token: accessToken,
    scope: scopes.join(' '),
    expires_in: lifetime,
    token_type: 'Bearer',
  };
}
