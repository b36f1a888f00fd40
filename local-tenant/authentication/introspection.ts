// POST /oauth/introspect (RFC 7662) as Auth0's unpublished 2017 draft described it
// (https://github.com/auth0/docs/blob/master/articles/api-auth/token-introspection/index.md). NOT an Auth0
// feature today (the drafts were never merged); the local tenant offers it so the banking API can introspect App Specific
// Passwords. The caller is a resource server authenticating with a client assertion signed by its own private
// key, verified with its verificationKey, its verificationLocation JWKS, or <identifier>/.well-known/jwks.json.
import {
  createRemoteJWKSet,
  decodeJwt,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import type { KeyObject } from 'node:crypto';
import type { TenantContext } from '../context.js';
import { OAuthError } from '../errors.js';
import { publicKeyFromVerificationKey } from '../management/verification-key.js';
import { findApplicationPassword } from '../state/users.js';
import type { ResourceServerRecord } from '../state/types.js';
import { jwtBearerAssertionType } from './client-auth.js';
import type { AuthRuntime } from './runtime.js';
import { errorMessage } from '../../lib/guards.js';

const MAX_ASSERTION_LIFETIME_SECONDS = 300;
const CLOCK_SKEW_SECONDS = 10;
const invalidClient = (description: string) => new OAuthError(401, 'invalid_client', description);

/** Only loopback URLs are fetched: the local tenant never reaches the network. */
export function isLoopbackUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
    );
  } catch {
    return false;
  }
}

function verificationKeySource(api: ResourceServerRecord): KeyObject | JWTVerifyGetKey {
  if (api.verificationKey !== undefined && api.verificationKey !== null) {
    try {
      return publicKeyFromVerificationKey(api.verificationKey);
    } catch {
      throw invalidClient(
        `The verificationKey of resource server ${api.identifier} is not a usable public key`,
      );
    }
  }
  const location =
    typeof api.verificationLocation === 'string'
      ? api.verificationLocation
      : `${api.identifier.replace(/\/+$/, '')}/.well-known/jwks.json`;
  if (!isLoopbackUrl(location)) {
    throw invalidClient(
      `Resource server ${api.identifier} has no verificationKey and its key location ${location} is not a loopback URL the local tenant may fetch`,
    );
  }
  return createRemoteJWKSet(new URL(location), { timeoutDuration: 2000 });
}

async function authenticateResourceServer(
  tenant: TenantContext,
  params: Record<string, string>,
): Promise<ResourceServerRecord> {
  if (params.client_assertion_type !== jwtBearerAssertionType || !params.client_assertion) {
    throw invalidClient(
      `Introspection requires client_assertion_type=${jwtBearerAssertionType} and a client_assertion signed by the resource server`,
    );
  }
  let unverified: JWTPayload;
  try {
    unverified = decodeJwt(params.client_assertion);
  } catch {
    throw invalidClient('Invalid client_assertion: not a JWT');
  }
  const caller = unverified.iss;
  if (!caller || unverified.sub !== caller)
    throw invalidClient('Invalid client_assertion: iss and sub must both name the resource server');
  const api = tenant.store.snapshot.resource_servers.find(
    (candidate) => candidate.identifier === caller || candidate.id === caller,
  );
  if (!api || api.is_system)
    throw invalidClient('Invalid client_assertion: unknown resource server');
  let payload: JWTPayload;
  try {
    const key = verificationKeySource(api);
    const options = {
      audience: [tenant.issuer, `${tenant.baseUrl}/oauth/introspect`],
      clockTolerance: CLOCK_SKEW_SECONDS,
      requiredClaims: ['exp', 'jti'],
      algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'ES256'],
    };
    ({ payload } =
      typeof key === 'function'
        ? await jwtVerify(params.client_assertion, key, options)
        : await jwtVerify(params.client_assertion, key, options));
  } catch (error) {
    if (error instanceof OAuthError) throw error;
    throw invalidClient(`Invalid client_assertion: ${errorMessage(error)}`);
  }
  const issuedAt = payload.iat ?? Math.floor(Date.now() / 1000);
  if ((payload.exp ?? 0) - issuedAt > MAX_ASSERTION_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS)
    throw invalidClient('Invalid client_assertion: lifetime exceeds 5 minutes');
  const jtiKey = `introspect:${api.id}:${String(payload.jti)}`;
  if (tenant.store.snapshot.used_assertion_ids[jtiKey])
    throw invalidClient('Invalid client_assertion: jti has already been used');
  const now = Math.floor(Date.now() / 1000);
  tenant.store.mutate((state) => {
    state.used_assertion_ids[jtiKey] = (payload.exp ?? now) + CLOCK_SKEW_SECONDS;
  });
  return api;
}

const audiences = (aud: unknown): string[] =>
  Array.isArray(aud) ? aud.map(String) : typeof aud === 'string' ? [aud] : [];

async function introspectJwt(
  tenant: TenantContext,
  api: ResourceServerRecord,
  token: string,
): Promise<Record<string, unknown> | undefined> {
  try {
    const claims = await tenant.keys.verify(token, { issuer: tenant.issuer });
    // A resource server only learns about tokens meant for it (RFC 7662 §2.2 lets the AS refuse others).
    if (!audiences(claims.aud).includes(api.identifier)) return undefined;
    return {
      active: true,
      token_type: 'access_token',
      scope: claims.scope,
      client_id: claims.azp ?? claims.client_id,
      sub: claims.sub,
      aud: claims.aud,
      iss: claims.iss,
      iat: claims.iat,
      exp: claims.exp,
      ...(claims.gty ? { gty: claims.gty } : {}),
    };
  } catch {
    return undefined;
  }
}

function introspectRefreshToken(
  tenant: TenantContext,
  runtime: AuthRuntime,
  api: ResourceServerRecord,
  token: string,
): Record<string, unknown> | undefined {
  const record = runtime.refreshTokens.active(token);
  if (!record || record.grant.audience !== api.identifier) return undefined;
  return {
    active: true,
    token_type: 'refresh_token',
    scope: record.grant.scope.join(' '),
    client_id: record.grant.clientId,
    sub: record.grant.userId,
    aud: api.identifier,
    iss: tenant.issuer,
    iat: Math.floor(record.created_at / 1000),
  };
}

function introspectApplicationPassword(
  tenant: TenantContext,
  api: ResourceServerRecord,
  token: string,
): Record<string, unknown> | undefined {
  const asp = findApplicationPassword(tenant.store.snapshot, token);
  if (!asp || asp.audience !== api.identifier) return undefined;
  const user = tenant.store.snapshot.users.find((candidate) => candidate.user_id === asp.user_id);
  if (!user || user.blocked) return undefined;
  tenant.store.mutate((state) => {
    const stored = state.application_passwords.find((candidate) => candidate.id === asp.id);
    if (stored) stored.last_accessed = new Date().toISOString();
  });
  return {
    active: true,
    token_type: 'application_specific_password_token',
    scope: asp.scope.join(' '),
    iat: Math.floor(Date.parse(asp.created_at) / 1000),
    sub: asp.user_id,
    aud: asp.audience,
    iss: tenant.issuer,
    username: user.email ?? user.username ?? user.user_id,
  };
}

export async function introspect(
  tenant: TenantContext,
  runtime: AuthRuntime,
  params: Record<string, string>,
): Promise<Record<string, unknown>> {
  const api = await authenticateResourceServer(tenant, params);
  const token = params.token;
  if (!token) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: token');
  const looksLikeJwt = token.split('.').length === 3;
  const answer =
    (looksLikeJwt ? await introspectJwt(tenant, api, token) : undefined) ??
    introspectRefreshToken(tenant, runtime, api, token) ??
    (looksLikeJwt ? undefined : introspectApplicationPassword(tenant, api, token));
  return answer ?? { active: false };
}
