// The browser login's entry points: /authorize (validation, SSO session, prompt=none), the hosted login page
// and /v2/logout. What happens once the user is known is LoginFlow's (login-flow.ts).
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context.js';
import { validateAuthorizeRequest } from './authorize-request.js';
import { SESSION_COOKIE, sendToCallback, type LoginFlow } from './login-flow.js';
import { checkPassword, findUser, markLogin } from './login-users.js';
import { loginPage } from './pages.js';
import { formParam, readCookie, sendErrorPage, transactionFrom } from './http-helpers.js';
import type { AuthRuntime } from './runtime.js';
import { isRecord, stringList } from '../../lib/guards.js';

export function interactiveLoginRoutes(
  app: FastifyInstance,
  tenant: TenantContext,
  runtime: AuthRuntime,
  flow: LoginFlow,
): void {
  app.get('/authorize', async (request, reply) => {
    const validation = validateAuthorizeRequest(tenant, request.query);
    if (validation.kind === 'page-error')
      return sendErrorPage(reply, validation.status, validation.error, validation.description);
    if (validation.kind === 'redirect-error') {
      return sendToCallback(
        reply,
        { request: validation.request },
        {
          error: validation.error,
          error_description: validation.description,
        },
      );
    }
    const implicit = !validation.request.responseType.includes('code');
    const transaction = runtime.records.newTransaction(
      validation.request,
      implicit ? 'oidc-implicit-profile' : 'oidc-basic-profile',
    );
    const sessionId = readCookie(request, SESSION_COOKIE);
    const session = sessionId ? runtime.records.sessions.get(sessionId) : undefined;
    if (
      session &&
      findUser(tenant, session.userId) &&
      !validation.request.prompt.includes('login')
    ) {
      transaction.userId = session.userId;
      transaction.methods = session.methods.map((method) => ({ ...method }));
      transaction.sessionId = session.id;
      return flow.continueLogin(transaction, request, reply);
    }
    if (validation.request.prompt.includes('none')) {
      runtime.records.transactions.delete(transaction.id);
      return sendToCallback(reply, transaction, {
        error: 'login_required',
        error_description: 'Login required',
      });
    }
    return reply.redirect(`/u/login?state=${encodeURIComponent(transaction.id)}`, 302);
  });

  app.get('/u/login', async (request, reply) => {
    const transaction = transactionFrom(runtime, request);
    if (!transaction)
      return sendErrorPage(
        reply,
        400,
        'invalid_request',
        'The login transaction is unknown or expired; start again from the application',
      );
    const client = tenant.store.snapshot.clients.find(
      (candidate) => candidate.client_id === transaction.request.clientId,
    );
    return reply.type('text/html; charset=utf-8').send(
      loginPage({
        state: transaction.id,
        clientName: client?.name ?? 'the application',
        ...(transaction.request.loginHint ? { username: transaction.request.loginHint } : {}),
      }),
    );
  });

  app.post('/u/login', async (request, reply) => {
    const transaction = transactionFrom(runtime, request);
    if (!transaction)
      return sendErrorPage(
        reply,
        400,
        'invalid_request',
        'The login transaction is unknown or expired; start again from the application',
      );
    const client = tenant.store.snapshot.clients.find(
      (candidate) => candidate.client_id === transaction.request.clientId,
    );
    const username = formParam(request, 'username') ?? '';
    const password = formParam(request, 'password') ?? '';
    const check = checkPassword(tenant, {
      clientId: transaction.request.clientId,
      username,
      password,
    });
    if (!check.ok) {
      const message =
        check.reason === 'blocked'
          ? 'user is blocked'
          : check.reason === 'no_connection'
            ? 'No database connection is enabled for this application'
            : 'Wrong email or password.';
      return reply
        .code(400)
        .type('text/html; charset=utf-8')
        .send(
          loginPage({
            state: transaction.id,
            clientName: client?.name ?? 'the application',
            error: message,
            username,
          }),
        );
    }
    markLogin(tenant, check.user.user_id);
    transaction.userId = check.user.user_id;
    transaction.methods = [{ name: 'pwd', timestamp: new Date().toISOString() }];
    transaction.pipeline = undefined;
    return flow.continueLogin(transaction, request, reply);
  });

  // Auth0's logout: ends the SSO session; returnTo must be an allowed logout URL of the client (or the tenant).
  app.get('/v2/logout', async (request, reply) => {
    const query = isRecord(request.query) ? request.query : {};
    const returnTo = typeof query.returnTo === 'string' ? query.returnTo : undefined;
    const clientId = typeof query.client_id === 'string' ? query.client_id : undefined;
    const client = clientId
      ? tenant.store.snapshot.clients.find((candidate) => candidate.client_id === clientId)
      : undefined;
    const sessionId = readCookie(request, SESSION_COOKIE);
    if (sessionId) runtime.records.sessions.delete(sessionId);
    reply.header(
      'set-cookie',
      `${SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=None; Max-Age=0`,
    );
    if (!returnTo) return reply.type('text/plain').send('OK');
    const allowed = [
      ...stringList(client?.allowed_logout_urls),
      ...stringList(tenant.store.snapshot.tenant_settings.allowed_logout_urls),
    ];
    if (!allowed.includes(returnTo)) {
      return sendErrorPage(
        reply,
        400,
        'invalid_request',
        `The "returnTo" querystring parameter "${returnTo}" is not defined as a valid URL in "Allowed Logout URLs".`,
      );
    }
    return reply.redirect(returnTo, 302);
  });
}
