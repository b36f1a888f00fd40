// Part 2 of the Authentication API: browser logins, MFA, user token grants, /userinfo, /oauth/introspect and
// CORS for SPAs. Called from part 1's authenticationPlugin with the same Fastify instance.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TenantContext } from '../context.js';
import { OAuthError } from '../errors.js';
import { authenticateClient } from './client-auth.js';
import type { RefreshTokenBackend, RefreshTokenRecord } from './auth-records.js';
import { interactiveLoginRoutes } from './interactive-login.js';
import { introspect } from './introspection.js';
import { createAuthRuntime, type AuthRuntime } from './login-pipeline.js';
import { profileClaims } from './token-issuer.js';
import { userGrants } from './user-grants.js';
import { findUser } from './login-users.js';

const runtimes = new WeakMap<TenantContext, AuthRuntime>();

/** The Authentication API's in-memory runtime of a tenant (records, OTP guard, Action cache). */
export function authRuntimeOf(tenant: TenantContext): AuthRuntime {
  let runtime = runtimes.get(tenant);
  if (!runtime) {
    runtime = createAuthRuntime({
      refreshTokens: persistedRefreshTokens(tenant),
      ...(process.env.LOCAL_TENANT_ACTION_TIMEOUT_MS
        ? {
            actionTimeoutMs: actionTimeoutFromEnvironment(
              process.env.LOCAL_TENANT_ACTION_TIMEOUT_MS,
            ),
          }
        : {}),
    });
    runtimes.set(tenant, runtime);
  }
  return runtime;
}

function actionTimeoutFromEnvironment(raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(
      `LOCAL_TENANT_ACTION_TIMEOUT_MS must be a positive integer (milliseconds), got "${raw}"`,
    );
  return value;
}

/** Refresh tokens in the tenant state (`extensions.refresh_tokens`, keyed by token hash) so they survive restarts. */
function persistedRefreshTokens(tenant: TenantContext): RefreshTokenBackend {
  const all = (state: { extensions: Record<string, unknown> }) =>
    (state.extensions.refresh_tokens ?? {}) as Record<string, RefreshTokenRecord>;
  return {
    get: (hash) => all(tenant.store.snapshot)[hash],
    set: (hash, record) =>
      tenant.store.mutate((state) => {
        state.extensions.refresh_tokens = { ...all(state), [hash]: record } as never;
      }),
  };
}

function bodyParams(body: unknown): Record<string, string> {
  if (!body || typeof body !== 'object') return {};
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') params[key] = first;
  }
  return params;
}

/** Origins a browser app may call the token endpoints from: its web origins, allowed origins and callback origins. */
function allowedOrigins(tenant: TenantContext): Set<string> {
  const origins = new Set<string>();
  for (const client of tenant.store.snapshot.clients) {
    for (const field of ['web_origins', 'allowed_origins', 'callbacks'] as const) {
      const values = Array.isArray(client[field]) ? (client[field] as unknown[]) : [];
      for (const value of values) {
        try {
          origins.add(new URL(String(value)).origin);
        } catch {
          // not a URL: cannot be an origin
        }
      }
    }
  }
  return origins;
}

const CORS_PATHS = new Set([
  '/oauth/token',
  '/oauth/revoke',
  '/userinfo',
  '/.well-known/openid-configuration',
  '/.well-known/jwks.json',
]);

function applyCors(tenant: TenantContext, request: FastifyRequest, reply: FastifyReply): void {
  const origin = request.headers.origin;
  if (!origin || !CORS_PATHS.has(request.url.split('?')[0]!) || !allowedOrigins(tenant).has(origin))
    return;
  reply
    .header('access-control-allow-origin', origin)
    .header('vary', 'Origin')
    .header('access-control-allow-credentials', 'true');
}

export async function userLoginPlugin(app: FastifyInstance, tenant: TenantContext): Promise<void> {
  const runtime = authRuntimeOf(tenant);
  app.addHook('onClose', async () => runtime.executor.close());
  for (const [grantType, handler] of Object.entries(userGrants(runtime)))
    tenant.grants.register(grantType, handler);

  app.addHook('onRequest', async (request, reply) => applyCors(tenant, request, reply));
  for (const path of CORS_PATHS) {
    app.options(path, async (request, reply) => {
      applyCors(tenant, request, reply);
      return reply
        .header('access-control-allow-methods', 'GET, POST, OPTIONS')
        .header(
          'access-control-allow-headers',
          String(
            request.headers['access-control-request-headers'] ??
              'content-type, authorization, auth0-client',
          ),
        )
        .header('access-control-max-age', '600')
        .code(204)
        .send();
    });
  }

  interactiveLoginRoutes(app, tenant, runtime);

  const userinfo = async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization ?? '';
    const token = header.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : '';
    const unauthorized = () =>
      reply
        .code(401)
        .header('www-authenticate', 'Bearer error="invalid_token"')
        .type('text/plain')
        .send('Unauthorized');
    if (!token) return unauthorized();
    try {
      const claims = await tenant.keys.verify(token, {
        issuer: tenant.issuer,
        audience: `${tenant.issuer}userinfo`,
      });
      const user = findUser(tenant, String(claims.sub));
      if (!user) return unauthorized();
      return { sub: user.user_id, ...profileClaims(user, String(claims.scope ?? '').split(' ')) };
    } catch {
      return unauthorized();
    }
  };
  app.get('/userinfo', userinfo);
  app.post('/userinfo', userinfo);

  // RFC 7009 / Auth0 POST /oauth/revoke: revokes a refresh token; unknown tokens also answer 200.
  app.post('/oauth/revoke', async (request, reply) => {
    const params = bodyParams(request.body);
    const { client } = await authenticateClient(tenant, request, params, { allowPublic: true });
    if (!params.token)
      throw new OAuthError(400, 'invalid_request', 'Missing required parameter: token');
    runtime.records.revokeRefreshToken(params.token, client.client_id);
    return reply.code(200).send();
  });

  app.post('/oauth/introspect', async (request, reply) => {
    const answer = await introspect(tenant, runtime, bodyParams(request.body));
    return reply.header('cache-control', 'no-store').send(answer);
  });
}
