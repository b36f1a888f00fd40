// /oauth/token grants that issue user tokens: authorization_code (PKCE), password / password-realm and the
// MFA OTP grant that finishes an mfa_required login; refresh_token is refresh-token-grant.ts.
import type { TenantContext } from '../context.js';
import { OAuthError } from '../errors.js';
import type { UserRecord } from '../state/types.js';
import { newPipelineState, recordMfaCompleted } from '../actions-runtime/pipeline.js';
import type { PipelineState } from '../actions-runtime/types.js';
import type { GrantContext } from './auth-records.js';
import { authenticateClient } from './client-auth.js';
import {
  MFA_OTP_GRANT,
  PASSWORD_REALM_GRANT,
  activeUser,
  audienceFrom,
  flowEvent,
  invalidGrant,
  missing,
  requireGrantType,
  runNonInteractive,
  tokenBody,
} from './grant-support.js';
import type { GrantHandler } from './grants.js';
import { eventRequest } from './login-pipeline.js';
import {
  checkPassword,
  confirmedOtpEnrollment,
  markLogin,
  persistMetadataChanges,
} from './login-users.js';
import { verifyPkce } from './pkce.js';
import { refreshTokenGrant } from './refresh-token-grant.js';
import type { AuthRuntime } from './runtime.js';
import { decideUserScopes, parseScope } from './scopes.js';
import { verifyTotp } from './totp.js';
import { stringOrUndefined } from '../../lib/guards.js';

export function userGrants(runtime: AuthRuntime): Record<string, GrantHandler> {
  const records = runtime.records;

  const authorizationCode: GrantHandler = async ({ params, request, tenant }) => {
    // Auth0 rejects a code it never issued before it authenticates the client or checks the client's grant
    // types: recorded answers to an unknown code are 403 invalid_grant even without a client secret. A code
    // that exists is only looked at further once the client has authenticated.
    const record = params.code ? records.codes.peek(params.code) : undefined;
    if (params.code && !record) throw invalidGrant('Invalid authorization code');
    const { client } = await authenticateClient(tenant, request, params, { allowPublic: true });
    requireGrantType(client, 'authorization_code');
    if (!params.code) throw missing('code');
    if (!record || record.grant.clientId !== client.client_id)
      throw invalidGrant('Invalid authorization code');
    if (record.usedAt !== undefined) {
      // A replayed code revokes what the first exchange issued (RFC 6749 §4.1.2).
      for (const token of record.refreshTokens) runtime.refreshTokens.revokeFamily(token);
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
      ? runtime.refreshTokens.issue(record.grant)
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
          : stringOrUndefined(tenant.store.snapshot.tenant_settings.default_directory);
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
        ? runtime.refreshTokens.issue(input.grant)
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

  return {
    authorization_code: authorizationCode,
    password: password('password'),
    [PASSWORD_REALM_GRANT]: password(PASSWORD_REALM_GRANT),
    [MFA_OTP_GRANT]: mfaOtp,
    refresh_token: refreshTokenGrant(runtime),
  };
}
