// What the user-token grants share: parameter and client checks, the post-login Actions for non-interactive
// flows (mfa_required instead of a page), the flow's `event`, the audience, and the token response body.
import type { FastifyRequest } from 'fastify';
import type { TenantContext } from '../context.js';
import { OAuthError } from '../errors.js';
import type { ClientRecord, UserRecord } from '../state/types.js';
import type { PipelineState, PostLoginEventInput } from '../actions-runtime/types.js';
import { randomToken, type GrantContext } from './auth-records.js';
import {
  buildEventInput,
  runLoginPipeline,
  stepAtEndOfFlow,
  stepForActionChallenge,
} from './login-pipeline.js';
import { findConnection, findUser } from './login-users.js';
import type { AuthRuntime } from './runtime.js';
import { issueUserTokens } from './token-issuer.js';
import { stringOrUndefined } from '../../lib/guards.js';

export const MFA_OTP_GRANT = 'http://auth0.com/oauth/grant-type/mfa-otp';
export const PASSWORD_REALM_GRANT = 'http://auth0.com/oauth/grant-type/password-realm';

export const invalidGrant = (description: string) =>
  new OAuthError(403, 'invalid_grant', description);
export const missing = (name: string) =>
  new OAuthError(400, 'invalid_request', `Missing required parameter: ${name}`);

export function requireGrantType(client: ClientRecord, grantType: string): void {
  if (!client.grant_types.includes(grantType)) {
    throw new OAuthError(
      403,
      'unauthorized_client',
      `Grant type '${grantType}' not allowed for the client.`,
      { error_uri: 'https://auth0.com/docs/clients/client-grant-types' },
    );
  }
}

export function activeUser(tenant: TenantContext, userId: string): UserRecord {
  const user = findUser(tenant, userId);
  if (!user) throw invalidGrant('The user no longer exists');
  if (user.blocked) throw new OAuthError(401, 'unauthorized', 'user is blocked');
  return user;
}

export interface TokenBody extends Record<string, unknown> {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

export async function tokenBody(
  tenant: TenantContext,
  input: {
    grant: GrantContext;
    pipeline: PipelineState;
    user: UserRecord;
    gty?: 'password' | 'refresh_token';
    amrInIdToken: boolean;
    refreshToken?: string;
  },
): Promise<TokenBody> {
  const tokens = await issueUserTokens(tenant, { ...input, includeIdToken: true });
  return {
    access_token: tokens.accessToken,
    ...(input.refreshToken ? { refresh_token: input.refreshToken } : {}),
    ...(tokens.idToken ? { id_token: tokens.idToken } : {}),
    scope: tokens.scope.join(' '),
    expires_in: tokens.expiresIn,
    token_type: 'Bearer',
  };
}

/**
 * Non-interactive flows (password, refresh, MFA resume): run the Actions; an MFA step becomes 403
 * `mfa_required` with an mfa_token (https://auth0.com/docs/secure/tokens/refresh-tokens/use-refresh-tokens); deny/throw becomes 403
 * access_denied (Auth0's status here is UNCONFIRMED: a support article says 500, the refresh docs 403).
 */
export async function runNonInteractive(
  tenant: TenantContext,
  runtime: AuthRuntime,
  input: {
    grant: GrantContext;
    user: UserRecord;
    event: PostLoginEventInput;
    protocol: string;
    state?: PipelineState;
  },
): Promise<PipelineState> {
  const outcome = await runLoginPipeline(tenant, runtime, {
    event: input.event,
    ...(input.state ? { state: input.state } : {}),
    initialMethods: input.grant.authenticationMethods,
    canRedirect: false,
  });
  if (outcome.status === 'denied' || outcome.status === 'failed')
    throw new OAuthError(403, 'access_denied', outcome.reason);
  const step =
    outcome.status === 'challenge'
      ? stepForActionChallenge(tenant, input.user, outcome.factors, outcome.mode)
      : stepAtEndOfFlow(tenant, {
          user: input.user,
          outcome,
          acrValues: input.event.transaction.acr_values,
          mfaRemembered: false,
        });
  if (step.kind === 'unavailable') throw new OAuthError(403, 'access_denied', step.reason);
  if (step.kind === 'none') return outcome.state;
  const mfaToken = runtime.records.issueMfaToken({
    grant: input.grant,
    protocol: input.protocol,
    pipeline: outcome.state,
    pipelineCompleted: outcome.status === 'completed',
    event: input.event,
  });
  throw new OAuthError(403, 'mfa_required', 'Multifactor authentication required', {
    mfa_token: mfaToken,
  });
}

export function flowEvent(
  tenant: TenantContext,
  request: FastifyRequest,
  input: {
    client: ClientRecord;
    user: UserRecord;
    protocol: string;
    requestedScopes: string[];
    audience?: string;
  },
): PostLoginEventInput {
  return buildEventInput({
    client: input.client,
    user: input.user,
    connection: findConnection(tenant, input.user.connection),
    request,
    flow: {
      transactionId: `tx_${randomToken(12)}`,
      protocol: input.protocol,
      requestedScopes: input.requestedScopes,
      ...(input.audience ? { audience: input.audience } : {}),
    },
  });
}

export function audienceFrom(tenant: TenantContext, params: Record<string, string>) {
  const requested =
    params.audience ??
    stringOrUndefined(tenant.store.snapshot.tenant_settings.default_audience) ??
    undefined;
  // Auth0 accepts its own /userinfo as an audience: a token for /userinfo only.
  const audience = requested === `${tenant.issuer}userinfo` ? undefined : requested;
  const api = audience
    ? tenant.store.snapshot.resource_servers.find((candidate) => candidate.identifier === audience)
    : undefined;
  if (audience && !api)
    throw new OAuthError(403, 'access_denied', `Service not found: ${audience}`);
  return { audience, api };
}
