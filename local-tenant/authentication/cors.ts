// CORS for browser apps (SPAs) on the endpoints they call directly: an origin is allowed when it is one of a
// client's web origins, allowed origins or callback origins.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TenantContext } from '../context.js';

const CORS_PATHS = new Set([
  '/oauth/token',
  '/oauth/revoke',
  '/userinfo',
  '/.well-known/openid-configuration',
  '/.well-known/jwks.json',
]);

function allowedOrigins(tenant: TenantContext): Set<string> {
  const origins = new Set<string>();
  for (const client of tenant.store.snapshot.clients) {
    for (const field of ['web_origins', 'allowed_origins', 'callbacks'] as const) {
      const listed = client[field];
      const values = Array.isArray(listed) ? listed : [];
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

function applyCors(tenant: TenantContext, request: FastifyRequest, reply: FastifyReply): void {
  const origin = request.headers.origin;
  if (!origin || !CORS_PATHS.has(request.url.split('?')[0]!) || !allowedOrigins(tenant).has(origin))
    return;
  reply
    .header('access-control-allow-origin', origin)
    .header('vary', 'Origin')
    .header('access-control-allow-credentials', 'true');
}

export function corsRoutes(app: FastifyInstance, tenant: TenantContext): void {
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
}
