// Builds and signs user tokens after the post-login trigger completed, in Auth0's default
// access-token profile (docs/auth0-facts.md §3): iss with trailing slash, sub, aud (array with
// /userinfo when openid), iat, exp, scope, azp, gty for password/refresh grants, `permissions` for
// _authz dialects; ID tokens with nonce, amr/acr after MFA.
import { createHash } from 'node:crypto';
import type { TenantContext } from '../context.js';
import type { ResourceServerRecord, UserRecord } from '../state/types.js';
import { applyScopeOperations } from '../actions-runtime/pipeline.js';
import type { PipelineState } from '../actions-runtime/types.js';
import type { GrantContext } from './auth-records.js';
import { addsPermissionsClaim, userPermissions } from './scopes.js';
import { isRecord } from '../../lib/guards.js';

const DEFAULT_ACCESS_TOKEN_LIFETIME = 86_400;
/** Auth0 default ID token lifetime (client jwt_configuration.lifetime_in_seconds). */
const DEFAULT_ID_TOKEN_LIFETIME = 36_000;
export const MFA_ACR = 'http://schemas.openid.net/pape/policies/2007/06/multi-factor';

export interface IssueOptions {
  grant: GrantContext;
  pipeline: PipelineState;
  user: UserRecord;
  /** `password` / `refresh_token`: Auth0 sets gty only for these user grants. */
  gty?: 'password' | 'refresh_token';
  /** Implicit/hybrid: token_lifetime_for_web applies and the ID token carries at_hash. */
  implicit?: boolean;
  includeIdToken: boolean;
  /**
   * amr/acr are absent from ID tokens issued by silent auth, refresh and the MFA API
   * (docs/auth0-facts.md §9).
   */
  amrInIdToken: boolean;
}

export interface IssuedTokens {
  accessToken: string;
  expiresIn: number;
  scope: string[];
  idToken?: string;
}

export function findResourceServer(
  tenant: TenantContext,
  audience: string | undefined,
): ResourceServerRecord | undefined {
  return audience
    ? tenant.store.snapshot.resource_servers.find((api) => api.identifier === audience)
    : undefined;
}

function lifetimeOf(api: ResourceServerRecord | undefined, implicit: boolean): number {
  const web = api?.token_lifetime_for_web;
  if (implicit && typeof web === 'number') return web;
  return typeof api?.token_lifetime === 'number'
    ? api.token_lifetime
    : DEFAULT_ACCESS_TOKEN_LIFETIME;
}

export async function issueUserTokens(
  tenant: TenantContext,
  options: IssueOptions,
): Promise<IssuedTokens> {
  const { grant, pipeline, user } = options;
  const api = findResourceServer(tenant, grant.audience);
  const scope = applyScopeOperations(grant.scope, pipeline);
  const userinfoAudience = `${tenant.issuer}userinfo`;
  const audience = grant.audience ?? userinfoAudience;
  const withUserinfo = scope.includes('openid') && audience !== userinfoAudience;
  const expiresIn = lifetimeOf(api, options.implicit === true);
  const dialect = String(api?.token_dialect ?? 'access_token');
  const accessPayload: Record<string, unknown> = {
    ...pipeline.effects.accessTokenClaims,
    iss: tenant.issuer,
    sub: user.user_id,
    aud: withUserinfo ? [audience, userinfoAudience] : audience,
    scope: scope.join(' '),
    ...(dialect.startsWith('rfc9068') ? { client_id: grant.clientId } : { azp: grant.clientId }),
    ...(options.gty && !dialect.startsWith('rfc9068') ? { gty: options.gty } : {}),
    ...(addsPermissionsClaim(api) && api
      ? { permissions: userPermissions(user, api.identifier) }
      : {}),
  };
  if (dialect.startsWith('rfc9068')) accessPayload.jti = crypto.randomUUID();
  const accessToken = await tenant.keys.sign(accessPayload, {
    expiresIn,
    ...(dialect.startsWith('rfc9068') ? { typ: 'at+jwt' } : {}),
  });
  if (!options.includeIdToken || !scope.includes('openid'))
    return { accessToken, expiresIn, scope };

  const client = tenant.store.snapshot.clients.find(
    (candidate) => candidate.client_id === grant.clientId,
  );
  const jwtConfiguration = isRecord(client?.jwt_configuration) ? client.jwt_configuration : {};
  const idLifetime =
    typeof jwtConfiguration.lifetime_in_seconds === 'number'
      ? jwtConfiguration.lifetime_in_seconds
      : DEFAULT_ID_TOKEN_LIFETIME;
  const idPayload: Record<string, unknown> = {
    ...profileClaims(user, scope),
    ...pipeline.effects.idTokenClaims,
    iss: tenant.issuer,
    sub: user.user_id,
    aud: grant.clientId,
    auth_time: grant.authTime,
    ...(grant.sessionId ? { sid: grant.sessionId } : {}),
    ...(grant.nonce ? { nonce: grant.nonce } : {}),
    ...(options.amrInIdToken && grant.mfaInTransaction ? { amr: ['mfa'], acr: MFA_ACR } : {}),
    ...(options.implicit ? { at_hash: halfHash(accessToken) } : {}),
  };
  const idToken = await tenant.keys.sign(idPayload, { expiresIn: idLifetime });
  return { accessToken, expiresIn, scope, idToken };
}

/** OIDC at_hash: base64url of the left half of SHA-256 of the access token (RS256). */
function halfHash(token: string): string {
  const digest = createHash('sha256').update(token).digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/** Standard claims by OIDC scope, as Auth0 puts them in ID tokens and /userinfo. */
export function profileClaims(user: UserRecord, scope: string[]): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  const profile: Record<string, unknown> = user.profile;
  if (scope.includes('profile')) {
    const fallbackName = user.email ?? user.username ?? user.user_id;
    claims.nickname =
      profile.nickname ?? (user.email ? user.email.split('@')[0] : (user.username ?? fallbackName));
    claims.name = profile.name ?? fallbackName;
    if (profile.given_name !== undefined) claims.given_name = profile.given_name;
    if (profile.family_name !== undefined) claims.family_name = profile.family_name;
    claims.picture = profile.picture ?? 'https://cdn.auth0.com/avatars/default.png';
    claims.updated_at = user.updated_at;
  }
  if (scope.includes('email') && user.email) {
    claims.email = user.email;
    claims.email_verified = user.email_verified;
  }
  return claims;
}
