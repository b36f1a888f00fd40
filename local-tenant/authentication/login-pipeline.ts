// Glue between the tenant state and the Actions runtime, shared by the interactive login and the token grants:
// which Actions are bound (deployed versions, binding order), the `event` for a flow, and the MFA decision.
import type { FastifyRequest } from 'fastify';
import type { TenantContext } from '../context.js';
import type { ClientRecord, ConnectionRecord, UserRecord } from '../state/types.js';
import { runPostLoginPipeline } from '../actions-runtime/pipeline.js';
import type {
  AuthenticationMethod,
  ChallengeFactor,
  DeployedPostLoginAction,
  PipelineOutcome,
  PipelineState,
  PostLoginEventInput,
} from '../actions-runtime/types.js';
import type { AuthRuntime } from './runtime.js';
import { confirmedOtpEnrollment, isOtpFactorEnabled } from './login-users.js';
import { MFA_ACR } from './token-issuer.js';
import { isRecord, stringRecord } from '../../lib/guards.js';

/** Deployed versions of the Actions bound to post-login, in binding order. Undeployed bindings are skipped. */
export function boundPostLoginActions(tenant: TenantContext): DeployedPostLoginAction[] {
  return boundActions(tenant, 'post-login');
}

/** Deployed versions of the Actions bound to a trigger, in binding order. Undeployed bindings are skipped. */
export function boundActions(tenant: TenantContext, triggerId: string): DeployedPostLoginAction[] {
  const state = tenant.store.snapshot;
  const deployed: DeployedPostLoginAction[] = [];
  for (const binding of state.trigger_bindings.filter(
    (candidate) => candidate.trigger_id === triggerId,
  )) {
    const action = state.actions.find((candidate) => candidate.id === binding.action_id);
    const version = state.action_versions.find(
      (candidate) => candidate.id === action?.deployed_version_id,
    );
    if (!action || !version) continue;
    deployed.push({
      actionId: action.id,
      name: binding.display_name || action.name,
      versionId: version.id,
      code: version.code,
      secrets: Object.fromEntries(version.secrets.map((secret) => [secret.name, secret.value])),
      dependencies: version.dependencies.map(({ name, version }) => ({ name, version })),
    });
  }
  return deployed;
}

export interface EventFlow {
  transactionId: string;
  protocol: string;
  requestedScopes: string[];
  audience?: string;
  acrValues?: string[];
  prompt?: string[];
  redirectUri?: string;
  responseType?: string[];
  responseMode?: string;
  state?: string;
  loginHint?: string;
  sessionId?: string;
}

export function buildEventInput(input: {
  client: ClientRecord;
  user: UserRecord;
  connection: ConnectionRecord | undefined;
  request: FastifyRequest;
  flow: EventFlow;
}): PostLoginEventInput {
  const { client, user, connection, request, flow } = input;
  const { password_hash: _hash, mfa_enrollments: enrollments, profile, ...publicUser } = user;
  return {
    client: {
      client_id: client.client_id,
      name: client.name,
      metadata: stringRecord(client.client_metadata),
    },
    transaction: {
      id: flow.transactionId,
      protocol: flow.protocol,
      requested_scopes: flow.requestedScopes,
      acr_values: flow.acrValues ?? [],
      prompt: flow.prompt ?? [],
      ...(flow.redirectUri ? { redirect_uri: flow.redirectUri } : {}),
      response_type: flow.responseType ?? [],
      ...(flow.responseMode ? { response_mode: flow.responseMode } : {}),
      ...(flow.state !== undefined ? { state: flow.state } : {}),
      ...(flow.loginHint ? { login_hint: flow.loginHint } : {}),
      ui_locales: [],
      locale: 'en',
    },
    ...(flow.audience ? { resource_server: { identifier: flow.audience } } : {}),
    user: {
      ...profile,
      ...publicUser,
      identities: [
        {
          provider: 'auth0',
          connection: user.connection,
          user_id: user.user_id.replace(/^auth0\|/, ''),
          isSocial: false,
        },
      ],
      multifactor: enrollments.some((enrollment) => enrollment.status === 'confirmed')
        ? ['guardian']
        : [],
      enrolledFactors: enrollments
        .filter((enrollment) => enrollment.status === 'confirmed')
        .map((enrollment) => ({ type: enrollment.type })),
    },
    request: eventRequest(request),
    connection: connection
      ? {
          id: connection.id,
          name: connection.name,
          strategy: connection.strategy,
          metadata: stringRecord(connection.metadata),
        }
      : { id: '', name: user.connection, strategy: 'auth0', metadata: {} },
    tenant: { id: 'local' },
    stats: { logins_count: user.logins_count },
    authorization: { roles: [] },
    ...(flow.sessionId ? { session: { id: flow.sessionId } } : {}),
  };
}

/** event.request: a fresh one each time the pipeline resumes (https://auth0.com/docs/customize/actions/limitations). */
export function eventRequest(request: FastifyRequest): PostLoginEventInput['request'] {
  return {
    ip: request.ip,
    method: request.method,
    hostname: request.hostname,
    ...(request.headers['user-agent'] ? { user_agent: request.headers['user-agent'] } : {}),
    ...(request.headers['accept-language']
      ? { language: String(request.headers['accept-language']).split(',')[0] }
      : {}),
    query: isRecord(request.query) ? { ...request.query } : {},
    body: sanitisedBody(request.body),
    geoip: {},
  };
}

// Secrets a client sent must not reach Action code (and its logs).
function sanitisedBody(body: unknown): Record<string, unknown> {
  if (!isRecord(body)) return {};
  const copy: Record<string, unknown> = { ...body };
  for (const key of [
    'password',
    'client_secret',
    'client_assertion',
    'code',
    'code_verifier',
    'refresh_token',
    'otp',
    'mfa_token',
  ])
    delete copy[key];
  return copy;
}

export async function runLoginPipeline(
  tenant: TenantContext,
  runtime: AuthRuntime,
  input: {
    event: PostLoginEventInput;
    state?: PipelineState;
    initialMethods?: AuthenticationMethod[];
    canRedirect: boolean;
  },
): Promise<PipelineOutcome> {
  return runPostLoginPipeline({
    actions: boundPostLoginActions(tenant),
    event: input.event,
    ...(input.state ? { state: input.state } : {}),
    ...(input.initialMethods ? { initialMethods: input.initialMethods } : {}),
    cache: runtime.actionCache,
    timeoutMs: runtime.actionTimeoutMs,
    canRedirect: input.canRedirect,
    executor: runtime.executor,
  });
}

export type MfaStep =
  | { kind: 'none' }
  | { kind: 'challenge' }
  | { kind: 'enroll' }
  | { kind: 'unavailable'; reason: string };

/**
 * The MFA step for a challengeWith / enrollWith request: Auth0 ignores factors that are not enabled on the
 * tenant (or, for challenges, not enrolled by the user) and fails the login if none remain. The local tenant
 * offers the OTP factor only.
 */
export function stepForActionChallenge(
  tenant: TenantContext,
  user: UserRecord,
  factors: ChallengeFactor[],
  mode: 'challenge' | 'enroll',
): MfaStep {
  const otpRequested = factors.some((factor) => factor.type === 'otp');
  if (!otpRequested || !isOtpFactorEnabled(tenant)) {
    return {
      kind: 'unavailable',
      reason: 'None of the requested MFA factors is enabled on this tenant',
    };
  }
  if (mode === 'enroll') return { kind: 'enroll' };
  return confirmedOtpEnrollment(user)
    ? { kind: 'challenge' }
    : {
        kind: 'unavailable',
        reason: 'The user is not enrolled in any of the requested MFA factors',
      };
}

/**
 * MFA at the end of the flow: an Action's multifactor.enable, the guardian policy "all-applications", or
 * acr_values=multi-factor. A user without an enrolled factor is asked to enroll (as Universal Login does).
 * `mfaRemembered`: allowRememberBrowser and a remembered browser skip the prompt, except when acr_values forces it.
 */
export function stepAtEndOfFlow(
  tenant: TenantContext,
  input: {
    user: UserRecord;
    outcome: Extract<PipelineOutcome, { status: 'completed' }>;
    acrValues: string[];
    mfaRemembered: boolean;
  },
): MfaStep {
  const { user, outcome } = input;
  if (outcome.state.mfaCompletedInTransaction) return { kind: 'none' };
  const forcedByAcr = input.acrValues.includes(MFA_ACR);
  const multifactor = outcome.state.effects.multifactor;
  // Action MFA logic overrides the dashboard policy (https://auth0.com/docs/secure/multi-factor-authentication/customize-mfa):
  // enable('none') skips even an "Always" policy.
  const byAction = multifactor !== undefined ? multifactor.provider !== 'none' : undefined;
  const byPolicy = tenant.store.snapshot.guardian.policies.includes('all-applications');
  const required = forcedByAcr || (byAction ?? byPolicy);
  if (!required) return { kind: 'none' };
  if (!forcedByAcr && input.mfaRemembered && multifactor?.allowRememberBrowser === true)
    return { kind: 'none' };
  if (!isOtpFactorEnabled(tenant))
    return {
      kind: 'unavailable',
      reason: 'Multifactor authentication is required but no MFA factor is enabled on this tenant',
    };
  return confirmedOtpEnrollment(user) ? { kind: 'challenge' } : { kind: 'enroll' };
}
