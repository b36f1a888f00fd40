// Client authentication at the token endpoint (and /oauth/introspect): client_secret_basic,
// client_secret_post and private_key_jwt (RFC 7523), per docs/auth0-facts.md §7.
import { timingSafeEqual, createPublicKey } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, jwtVerify, errors as joseErrors } from 'jose';
import type { FastifyRequest } from 'fastify';
import { OAuthError } from '../errors.js';
import type { TenantContext } from '../context.js';
import type { ClientRecord } from '../state/types.js';

export const jwtBearerAssertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const maxAssertionLifetimeSeconds = 300;
const clockSkewSeconds = 10;

export type ClientAuthMethod =
  'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';

export interface AuthenticatedClient {
  client: ClientRecord;
  method: ClientAuthMethod;
}

// Auth0 answers bad client credentials with 401 access_denied "Unauthorized"
// (docs/auth0-facts.md §8).
const unauthorized = (description = 'Unauthorized') =>
  new OAuthError(401, 'access_denied', description);
// Assertion problems: error code UNCONFIRMED for Auth0; invalid_client is the RFC 6749 code.
const invalidAssertion = (description: string) =>
  new OAuthError(401, 'invalid_client', description);

function secretsEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function basicCredentials(
  request: FastifyRequest,
): { clientId: string; clientSecret: string } | undefined {
  const header = request.headers.authorization;
  if (!header?.toLowerCase().startsWith('basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw unauthorized();
  // RFC 6749 §2.3.1: both parts are form-urlencoded before base64.
  const decode = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));
  try {
    return {
      clientId: decode(decoded.slice(0, colon)),
      clientSecret: decode(decoded.slice(colon + 1)),
    };
  } catch {
    throw unauthorized();
  }
}

async function verifyAssertion(
  tenant: TenantContext,
  assertion: string,
  expectedClientId?: string,
): Promise<ClientRecord> {
  let claims;
  let header;
  try {
    claims = decodeJwt(assertion);
    header = decodeProtectedHeader(assertion);
  } catch {
    throw invalidAssertion('Invalid client_assertion: not a JWT');
  }
  const clientId = claims.iss;
  if (!clientId || claims.sub !== clientId)
    throw invalidAssertion('Invalid client_assertion: iss and sub must both be the client_id');
  if (expectedClientId && expectedClientId !== clientId)
    throw invalidAssertion('Invalid client_assertion: client_id does not match iss');
  const client = tenant.store.snapshot.clients.find(
    (candidate) => candidate.client_id === clientId,
  );
  if (!client) throw unauthorized();
  const credentials = (tenant.store.snapshot.client_credentials[clientId] ?? []).filter(
    (credential) => !header.kid || credential.kid === header.kid,
  );
  if (credentials.length === 0)
    throw invalidAssertion(
      'Invalid client_assertion: no matching credential registered for the client',
    );

  let verifiedPayload;
  for (const credential of credentials) {
    if (credential.expires_at && Date.parse(credential.expires_at) < Date.now()) continue;
    try {
      ({ payload: verifiedPayload } = await jwtVerify(assertion, createPublicKey(credential.pem), {
        algorithms: [credential.alg],
        audience: [tenant.issuer, `${tenant.baseUrl}/oauth/token`],
        clockTolerance: clockSkewSeconds,
        requiredClaims: ['exp', 'jti'],
      }));
      break;
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired)
        throw invalidAssertion('Invalid client_assertion: expired');
      if (error instanceof joseErrors.JWTClaimValidationFailed) {
        throw invalidAssertion(`Invalid client_assertion: ${error.claim} claim check failed`);
      }
    }
  }
  if (!verifiedPayload)
    throw invalidAssertion('Invalid client_assertion: signature verification failed');
  const issuedAt = verifiedPayload.iat ?? Math.floor(Date.now() / 1000);
  if ((verifiedPayload.exp ?? 0) - issuedAt > maxAssertionLifetimeSeconds + clockSkewSeconds) {
    throw invalidAssertion('Invalid client_assertion: lifetime exceeds 5 minutes');
  }
  const jti = String(verifiedPayload.jti);
  const jtiKey = `${clientId}:${jti}`;
  if (tenant.store.snapshot.used_assertion_ids[jtiKey])
    throw invalidAssertion('Invalid client_assertion: jti has already been used');
  const now = Math.floor(Date.now() / 1000);
  tenant.store.mutate((state) => {
    for (const [key, expiry] of Object.entries(state.used_assertion_ids))
      if (expiry < now) delete state.used_assertion_ids[key];
    state.used_assertion_ids[jtiKey] = (verifiedPayload.exp ?? now) + clockSkewSeconds;
  });
  return client;
}

/**
 * Authenticates the calling client from the request (Basic header) and body params.
 * `allowPublic`: accept a bare client_id for clients whose token_endpoint_auth_method is `none`.
 */
export async function authenticateClient(
  tenant: TenantContext,
  request: FastifyRequest,
  params: Record<string, string>,
  options: { allowPublic?: boolean } = {},
): Promise<AuthenticatedClient> {
  const basic = basicCredentials(request);
  const assertion = params.client_assertion;
  if (assertion !== undefined) {
    if (params.client_assertion_type !== jwtBearerAssertionType) {
      throw new OAuthError(
        400,
        'invalid_request',
        `client_assertion_type must be ${jwtBearerAssertionType}`,
      );
    }
    return {
      client: await verifyAssertion(tenant, assertion, params.client_id),
      method: 'private_key_jwt',
    };
  }
  const clientId = basic?.clientId ?? params.client_id;
  const clientSecret = basic?.clientSecret ?? params.client_secret;
  if (!clientId) throw new OAuthError(401, 'access_denied', 'Unauthorized');
  const client = tenant.store.snapshot.clients.find(
    (candidate) => candidate.client_id === clientId,
  );
  if (!client) throw unauthorized();
  if (clientSecret === undefined) {
    if (options.allowPublic && client.token_endpoint_auth_method === 'none')
      return { client, method: 'none' };
    throw unauthorized();
  }
  // A client switched to private_key_jwt (token_endpoint_auth_method null) no longer authenticates with its
  // secret (UNCONFIRMED wording; Auth0 disables secret auth when client_authentication_methods is set).
  if (client.token_endpoint_auth_method === null)
    throw invalidAssertion('Client is configured for private_key_jwt: send a client_assertion');
  if (!secretsEqual(clientSecret, client.client_secret)) throw unauthorized();
  return { client, method: basic ? 'client_secret_basic' : 'client_secret_post' };
}
