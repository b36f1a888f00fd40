// grant_type=refresh_token: runs the post-login Actions again (protocol oauth2-refresh-token) and, for a client
// configured `rotation_type: rotating`, returns the token's successor; reuse of a spent token revokes its family.
//   https://auth0.com/docs/api/authentication/refresh-token/refresh-token
//   https://auth0.com/docs/secure/tokens/refresh-tokens/refresh-token-rotation
import { OAuthError } from '../errors.js';
import type { GrantContext } from './auth-records.js';
import { authenticateClient } from './client-auth.js';
import {
  activeUser,
  flowEvent,
  invalidGrant,
  missing,
  requireGrantType,
  runNonInteractive,
  tokenBody,
} from './grant-support.js';
import type { GrantHandler } from './grants.js';
import { persistMetadataChanges } from './login-users.js';
import type { AuthRuntime } from './runtime.js';
import { parseScope } from './scopes.js';

// Auth0's answer to an unknown, expired, revoked or reused refresh token (e.g. after rotation:
// https://github.com/auth0/nextjs-auth0/issues/1282). UNCONFIRMED: one wording for every case.
const INVALID_REFRESH_TOKEN = 'Unknown or invalid refresh token.';

export function refreshTokenGrant(runtime: AuthRuntime): GrantHandler {
  return async ({ params, request, tenant }) => {
    const { client } = await authenticateClient(tenant, request, params, { allowPublic: true });
    requireGrantType(client, 'refresh_token');
    const presented = params.refresh_token;
    if (!presented) throw missing('refresh_token');
    const record = runtime.refreshTokens.check(presented, client.client_id);
    if (!record) throw invalidGrant(INVALID_REFRESH_TOKEN);
    const user = activeUser(tenant, record.grant.userId);
    const requested = params.scope !== undefined ? parseScope(params.scope) : record.grant.scope;
    // Narrowing is allowed; asking for more than originally granted is refused (UNCONFIRMED: Auth0 documents
    // only "you can request a reduced set of scopes"). The token keeps the scopes of the original grant.
    const extra = requested.filter((scope) => !record.grant.scope.includes(scope));
    if (extra.length > 0)
      throw new OAuthError(
        403,
        'invalid_scope',
        `Scope ${extra.join(' ')} was not granted originally`,
      );
    const grant: GrantContext = { ...record.grant, scope: requested, mfaInTransaction: false };
    const protocol = 'oauth2-refresh-token';
    const event = flowEvent(tenant, request, {
      client,
      user,
      protocol,
      requestedScopes: requested,
      ...(grant.audience ? { audience: grant.audience } : {}),
    });
    const pipeline = await runNonInteractive(tenant, runtime, { grant, user, event, protocol });
    // The token is spent only now: a denied or MFA-interrupted exchange leaves it usable.
    const redemption = runtime.refreshTokens.redeem(presented, client.client_id);
    if (redemption.kind === 'invalid') throw invalidGrant(INVALID_REFRESH_TOKEN);
    persistMetadataChanges(tenant, user.user_id, pipeline.effects);
    return tokenBody(tenant, {
      grant,
      pipeline,
      user,
      gty: 'refresh_token',
      amrInIdToken: false,
      ...(redemption.refreshToken ? { refreshToken: redemption.refreshToken } : {}),
    });
  };
}
