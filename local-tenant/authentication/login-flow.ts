// The browser login after the user is known: post-login Actions (pausing for MFA when an Action challenges) →
// MFA at the end of the flow when required → SSO session → code or tokens back to the redirect_uri.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TenantContext } from '../context.js';
import { recordMfaCompleted } from '../actions-runtime/pipeline.js';
import type { LoginTransaction, SessionRecord } from './auth-records.js';
import { callbackResponse } from './authorize-request.js';
import {
  buildEventInput,
  runLoginPipeline,
  stepAtEndOfFlow,
  stepForActionChallenge,
  type MfaStep,
} from './login-pipeline.js';
import { findConnection, findUser, persistMetadataChanges } from './login-users.js';
import type { AuthRuntime } from './runtime.js';
import { sendErrorPage } from './http-helpers.js';
import { decideUserScopes } from './scopes.js';
import { issueUserTokens } from './token-issuer.js';

export const SESSION_COOKIE = 'auth0';
/** Auth0: allowRememberBrowser remembers the browser for ~30 days. */
const REMEMBER_BROWSER_MS = 30 * 24 * 60 * 60 * 1000;

export function sendToCallback(
  reply: FastifyReply,
  transaction: { request: Parameters<typeof callbackResponse>[0] },
  params: Record<string, string>,
): FastifyReply {
  const answer = callbackResponse(transaction.request, params);
  if (answer.kind === 'form')
    return reply.code(200).type('text/html; charset=utf-8').send(answer.html);
  return reply.redirect(answer.location, 302);
}

export class LoginFlow {
  constructor(
    private readonly tenant: TenantContext,
    private readonly runtime: AuthRuntime,
  ) {}

  /** Runs (or resumes) the post-login Actions and routes to the MFA page, an error, or the callback. */
  async continueLogin(
    transaction: LoginTransaction,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply> {
    const user = transaction.userId ? findUser(this.tenant, transaction.userId) : undefined;
    const client = this.tenant.store.snapshot.clients.find(
      (candidate) => candidate.client_id === transaction.request.clientId,
    );
    if (!user || !client)
      return this.fail(reply, transaction, 'access_denied', 'The user or client no longer exists');
    const silent = transaction.request.prompt.includes('none');
    const event = buildEventInput({
      client,
      user,
      connection: findConnection(this.tenant, user.connection),
      request,
      flow: {
        transactionId: transaction.id,
        protocol: transaction.protocol,
        requestedScopes: transaction.request.scope,
        ...(transaction.request.audience ? { audience: transaction.request.audience } : {}),
        acrValues: transaction.request.acrValues,
        prompt: transaction.request.prompt,
        redirectUri: transaction.request.redirectUri,
        responseType: transaction.request.responseType,
        responseMode: transaction.request.responseMode,
        ...(transaction.request.state !== undefined ? { state: transaction.request.state } : {}),
        ...(transaction.sessionId ? { sessionId: transaction.sessionId } : {}),
      },
    });
    const outcome = await runLoginPipeline(this.tenant, this.runtime, {
      event,
      ...(transaction.pipeline ? { state: transaction.pipeline } : {}),
      initialMethods: transaction.methods,
      canRedirect: !silent,
    });
    if (outcome.status === 'denied' || outcome.status === 'failed')
      return this.fail(reply, transaction, 'access_denied', outcome.reason);
    transaction.pipeline = outcome.state;
    let step: MfaStep;
    if (outcome.status === 'challenge') {
      step = stepForActionChallenge(this.tenant, user, outcome.factors, outcome.mode);
    } else {
      const session = transaction.sessionId
        ? this.runtime.records.sessions.get(transaction.sessionId)
        : undefined;
      step = stepAtEndOfFlow(this.tenant, {
        user,
        outcome,
        acrValues: transaction.request.acrValues,
        mfaRemembered: (session?.mfaRememberedUntil ?? 0) > Date.now(),
      });
    }
    if (step.kind === 'unavailable')
      return this.fail(reply, transaction, 'access_denied', step.reason);
    if (step.kind === 'none') return this.finish(transaction, reply);
    // UNCONFIRMED: Auth0's error when prompt=none needs MFA; OIDC's interaction_required is the standard one.
    if (silent)
      return this.fail(
        reply,
        transaction,
        'interaction_required',
        'Multifactor authentication required',
      );
    transaction.mfa = { mode: step.kind, resumePipeline: outcome.status === 'challenge' };
    const page = step.kind === 'enroll' ? 'mfa-otp-enrollment' : 'mfa-otp-challenge';
    return reply.redirect(`/u/${page}?state=${encodeURIComponent(transaction.id)}`, 302);
  }

  /** Called by the MFA pages once the code was right. */
  async mfaPassed(
    transaction: LoginTransaction,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply> {
    if (!transaction.pipeline || !transaction.mfa)
      return sendErrorPage(reply, 400, 'invalid_request', 'No MFA step is pending for this login');
    const resume = transaction.mfa.resumePipeline;
    transaction.pipeline = recordMfaCompleted(transaction.pipeline, 'otp');
    transaction.methods = transaction.pipeline.authenticationMethods;
    transaction.mfa = undefined;
    return resume
      ? this.continueLogin(transaction, request, reply)
      : this.finish(transaction, reply);
  }

  private fail(
    reply: FastifyReply,
    transaction: LoginTransaction,
    error: string,
    description: string,
  ): FastifyReply {
    this.runtime.records.transactions.delete(transaction.id);
    return sendToCallback(reply, transaction, { error, error_description: description });
  }

  private async finish(transaction: LoginTransaction, reply: FastifyReply): Promise<FastifyReply> {
    const records = this.runtime.records;
    const pipeline = transaction.pipeline!;
    const user = findUser(this.tenant, transaction.userId!)!;
    const client = this.tenant.store.snapshot.clients.find(
      (candidate) => candidate.client_id === transaction.request.clientId,
    )!;
    persistMetadataChanges(this.tenant, user.user_id, pipeline.effects);
    const session = this.upsertSession(transaction, pipeline.authenticationMethods);
    if (pipeline.mfaCompletedInTransaction && pipeline.effects.multifactor?.allowRememberBrowser)
      session.mfaRememberedUntil = Date.now() + REMEMBER_BROWSER_MS;
    reply.header(
      'set-cookie',
      `${SESSION_COOKIE}=${encodeURIComponent(session.id)}; Path=/; HttpOnly; Secure; SameSite=None`,
    );
    const api = transaction.request.audience
      ? this.tenant.store.snapshot.resource_servers.find(
          (candidate) => candidate.identifier === transaction.request.audience,
        )
      : undefined;
    const { granted } = decideUserScopes({
      requested: transaction.request.scope,
      api,
      user,
      client,
    });
    const grant = {
      clientId: client.client_id,
      userId: user.user_id,
      ...(transaction.request.audience ? { audience: transaction.request.audience } : {}),
      scope: granted,
      authenticationMethods: pipeline.authenticationMethods,
      mfaInTransaction: pipeline.mfaCompletedInTransaction,
      ...(transaction.request.nonce ? { nonce: transaction.request.nonce } : {}),
      authTime: session.authTime,
      sessionId: session.id,
    };
    records.transactions.delete(transaction.id);
    if (transaction.request.responseType.includes('code')) {
      const code = records.issueCode({
        redirectUri: transaction.request.redirectUri,
        ...(transaction.request.codeChallenge
          ? { codeChallenge: transaction.request.codeChallenge }
          : {}),
        grant,
        pipeline,
      });
      return sendToCallback(reply, transaction, { code });
    }
    const tokens = await issueUserTokens(this.tenant, {
      grant,
      pipeline,
      user,
      implicit: true,
      includeIdToken: transaction.request.responseType.includes('id_token'),
      amrInIdToken: true,
    });
    const params: Record<string, string> = {};
    if (transaction.request.responseType.includes('token')) {
      Object.assign(params, {
        access_token: tokens.accessToken,
        token_type: 'Bearer',
        expires_in: String(tokens.expiresIn),
        scope: tokens.scope.join(' '),
      });
    }
    if (tokens.idToken) params.id_token = tokens.idToken;
    return sendToCallback(reply, transaction, params);
  }

  private upsertSession(
    transaction: LoginTransaction,
    methods: LoginTransaction['methods'],
  ): SessionRecord {
    const existing = transaction.sessionId
      ? this.runtime.records.sessions.get(transaction.sessionId)
      : undefined;
    if (existing && existing.userId === transaction.userId) {
      // A fresh password login inside an existing session (prompt=login) renews auth_time.
      if (
        methods.some(
          (method) =>
            method.name === 'pwd' && Date.parse(method.timestamp) / 1000 > existing.authTime,
        )
      )
        existing.authTime = Math.floor(Date.now() / 1000);
      existing.methods = methods;
      return existing;
    }
    return this.runtime.records.newSession(transaction.userId!, methods);
  }
}
