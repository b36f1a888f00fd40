// /oauth/token grants that issue user tokens: authorization_code (PKCE), password / password-realm,
// the MFA OTP grant that finishes an mfa_required login, and refresh_token. Registered in part 1's registry.
import type { FastifyRequest } from 'fastify';
import type { TenantContext } from '../context.js';
import { OAuthError } from '../errors.js';
import type { ClientRecord, UserRecord } from '../state/types.js';
import { newPipelineState, recordMfaCompleted } from '../actions-runtime/pipeline.js';
import type { PipelineState, PostLoginEventInput } from '../actions-runtime/types.js';
import { authenticateClient } from './client-auth.js';
import type { GrantHandler } from './grants.js';
import { randomToken, type GrantContext } from './auth-records.js';
import {
  buildEventInput,
  eventRequest,
  runLoginPipeline,
  stepAtEndOfFlow,
  stepForActionChallenge,
  type AuthRuntime,
} from './login-pipeline.js';
import {
  checkPassword,
  confirmedOtpEnrollment,
  findConnection,
  findUser,
  markLogin,
  persistMetadataChanges,
} from './login-users.js';
import { verifyPkce } from './pkce.js';
import { decideUserScopes, parseScope } from './scopes.js';
import { issueUserTokens } from './token-issuer.js';
import { verifyTotp } from './totp.js';

export const MFA_OTP_GRANT = 'http://auth0.com/oauth/grant-type/mfa-otp';
export const PASSWORD_REALM_GRANT = 'http://auth0.com/oauth/grant-type/password-realm';

const invalidGrant = (description: string) => new OAuthError(403, 'invalid_grant', description);
const missing = (name: string) =>
  new OAuthError(400, 'invalid_request', `Missing required parameter: ${name}`);

function requireGrantType(client: ClientRecord, grantType: string): void {
  if (!client.grant_types.includes(grantType)) {
    throw new OAuthError(
      403,
      'unauthorized_client',
      `Grant type '${grantType}' not allowed for the client.`,
      { error_uri: 'https://auth0.com/docs/clients/client-grant-types' },
    );
  }
}

function activeUser(tenant: TenantContext, userId: string): UserRecord {
  const user = findUser(tenant, userId);
  if (!user) throw invalidGrant('The user no longer exists');
  if (user.blocked) throw new OAuthError(401, 'unauthorized', 'user is blocked');
  return user;
}

interface TokenBody extends Record<string, unknown> {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

async function tokenBody(
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
 * `mfa_required` with an mfa_token (facts §1 "MFA in non-interactive flows"); deny/throw becomes 403
 * access_denied (Auth0's status here is UNCONFIRMED: a support article says 500, the refresh docs 403).
 */
async function runNonInteractive(
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

function flowEvent(
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

function audienceFrom(tenant: TenantContext, params: Record<string, string>) {
  const requested =
    params.audience ??
    (tenant.store.snapshot.tenant_settings.default_audience as string | undefined) ??
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

export function userGrants(runtime: AuthRuntime): Record<string, GrantHandler> {
  const records = runtime.records;

  const authorizationCode: GrantHandler = async ({ params, request, tenant }) => {
    const { client } = await authenticateClient(tenant, request, params, { allowPublic: true });
    requireGrantType(client, 'authorization_code');
    if (!params.code) throw missing('code');
    const record = records.codes.peek(params.code);
    if (!record || record.grant.clientId !== client.client_id)
      throw invalidGrant('Invalid authorization code');
    if (record.usedAt !== undefined) {
      // A replayed code revokes what the first exchange issued (RFC 6749 §4.1.2).
      for (const token of record.refreshTokens) records.revokeRefreshToken(token);
      throw invalidGrant('Invalid authorization code');
    }
    record.usedAt = records.time();
    if (record.expiresAt <= records.time()) throw invalidGrant('Invalid authorization code');
    if (params.redirect_uri !== undefined && params.redirect_uri !== record.redirectUri)
      throw invalidGrant('Invalid redirect_uri');
    if (record.codeChallenge !== undefined) {
      if (!params.code_verifier) throw missing('code_verifier');
      if (!verifyPkce(params.code_verifier, record.codeChallenge))
        throw invalidGrant('Failed to verify code verifier');
    }
    const user = activeUser(tenant, record.grant.userId);
    const refreshToken = record.grant.scope.includes('offline_access')
      ? records.issueRefreshToken(record.grant)
      : undefined;
    if (refreshToken) record.refreshTokens.push(refreshToken);
    return tokenBody(tenant, {
      grant: record.grant,
      pipeline: record.pipeline,
      user,
      amrInIdToken: true,
      ...(refreshToken ? { refreshToken } : {}),
    });
  };

  const password =
    (grantType: string): GrantHandler =>
    async ({ params, request, tenant }) => {
      const { client } = await authenticateClient(tenant, request, params, { allowPublic: true });
      requireGrantType(client, grantType);
      if (!params.username) throw missing('username');
      if (!params.password) throw missing('password');
      if (grantType === PASSWORD_REALM_GRANT && !params.realm) throw missing('realm');
      const realm =
        grantType === PASSWORD_REALM_GRANT
          ? params.realm
          : (tenant.store.snapshot.tenant_settings.default_directory as string | undefined);
      if (!realm)
        throw new OAuthError(
          500,
          'server_error',
          'Authorization server not configured with default connection.',
        );
      const check = checkPassword(tenant, {
        clientId: client.client_id,
        username: params.username,
        password: params.password,
        realm,
      });
      if (!check.ok && check.reason === 'blocked')
        throw new OAuthError(401, 'unauthorized', 'user is blocked');
      if (!check.ok) throw invalidGrant('Wrong email or password.');
      const { audience, api } = audienceFrom(tenant, params);
      const requested = parseScope(params.scope);
      const { granted } = decideUserScopes({
        requested,
        api,
        user: check.user,
        client,
        allWhenNoneRequested: true,
      });
      markLogin(tenant, check.user.user_id);
      const grant: GrantContext = {
        clientId: client.client_id,
        userId: check.user.user_id,
        ...(audience ? { audience } : {}),
        scope: granted,
        authenticationMethods: [{ name: 'pwd', timestamp: new Date().toISOString() }],
        mfaInTransaction: false,
        authTime: Math.floor(Date.now() / 1000),
      };
      // UNCONFIRMED: Auth0 lists both oauth2-password and oauth2-resource-owner; /oauth/token password grants use the former.
      const protocol = 'oauth2-password';
      const event = flowEvent(tenant, request, {
        client,
        user: check.user,
        protocol,
        requestedScopes: requested,
        ...(audience ? { audience } : {}),
      });
      const pipeline = await runNonInteractive(tenant, runtime, {
        grant,
        user: check.user,
        event,
        protocol,
      });
      return issueAfterPipeline(tenant, { grant, pipeline, user: check.user, gty: 'password' });
    };

  const issueAfterPipeline = async (
    tenant: TenantContext,
    input: {
      grant: GrantContext;
      pipeline: PipelineState;
      user: UserRecord;
      gty: 'password' | 'refresh_token';
    },
  ) => {
    persistMetadataChanges(tenant, input.user.user_id, input.pipeline.effects);
    const refreshToken =
      input.gty === 'password' && input.grant.scope.includes('offline_access')
        ? records.issueRefreshToken(input.grant)
        : undefined;
    return tokenBody(tenant, {
      ...input,
      amrInIdToken: false,
      ...(refreshToken ? { refreshToken } : {}),
    });
  };

  const mfaOtp: GrantHandler = async ({ params, request, tenant }) => {
    const { client } = await authenticateClient(tenant, request, params, { allowPublic: true });
    requireGrantType(client, MFA_OTP_GRANT);
    if (!params.mfa_token) throw missing('mfa_token');
    if (!params.otp) throw missing('otp');
    const record = records.mfaTokens.get(params.mfa_token, records.time());
    if (!record || record.grant.clientId !== client.client_id)
      throw invalidGrant('Malformed mfa_token');
    const user = activeUser(tenant, record.grant.userId);
    const enrollment = confirmedOtpEnrollment(user);
    if (!enrollment?.secret)
      throw new OAuthError(
        403,
        'unsupported_challenge_type',
        'User is not enrolled with an OTP authenticator',
      );
    const result = runtime.otpGuard.record(user.user_id, verifyTotp(enrollment.secret, params.otp));
    // UNCONFIRMED: Auth0's brute-force answer for the MFA API; 429 too_many_attempts is what its MFA API documents for lockouts.
    if (result === 'locked')
      throw new OAuthError(
        429,
        'too_many_attempts',
        'Too many failed attempts. The OTP factor is blocked for 15 minutes.',
      );
    if (result === 'invalid') throw invalidGrant('Invalid otp_code.');
    records.mfaTokens.delete(record.token);
    const grant: GrantContext = { ...record.grant, mfaInTransaction: true };
    const afterMfa = recordMfaCompleted(
      record.pipeline ?? newPipelineState(record.grant.authenticationMethods),
      'otp',
    );
    grant.authenticationMethods = afterMfa.authenticationMethods;
    const pipeline = record.pipelineCompleted
      ? afterMfa
      : await runNonInteractive(tenant, runtime, {
          grant,
          user,
          event: { ...record.event, request: eventRequest(request) },
          protocol: record.protocol,
          state: afterMfa,
        });
    return issueAfterPipeline(tenant, {
      grant,
      pipeline,
      user,
      gty: record.protocol === 'oauth2-refresh-token' ? 'refresh_token' : 'password',
    });
  };

  const refreshToken: GrantHandler = async ({ params, request, tenant }) => {
    const { client } = await authenticateClient(tenant, request, params, { allowPublic: true });
    requireGrantType(client, 'refresh_token');
    if (!params.refresh_token) throw missing('refresh_token');
    const record = records.activeRefreshToken(params.refresh_token);
    if (!record || record.grant.clientId !== client.client_id)
      throw invalidGrant('Unknown or invalid refresh token.');
    const user = activeUser(tenant, record.grant.userId);
    const requested = params.scope !== undefined ? parseScope(params.scope) : record.grant.scope;
    // Narrowing is allowed; asking for more than originally granted is refused (UNCONFIRMED in facts §4).
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
    return issueAfterPipeline(tenant, { grant, pipeline, user, gty: 'refresh_token' });
  };

  return {
    authorization_code: authorizationCode,
    password: password('password'),
    [PASSWORD_REALM_GRANT]: password(PASSWORD_REALM_GRANT),
    [MFA_OTP_GRANT]: mfaOtp,
    refresh_token: refreshToken,
  };
}
