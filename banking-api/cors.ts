// CORS for the banking SPA (browser calls with an Authorization header need a preflight). Only origins listed in
// CORS_ORIGINS get CORS headers; credentials (cookies) are never allowed, since the API reads only the header.
import type { FastifyInstance } from 'fastify';

const PREFLIGHT_MAX_AGE_SECONDS = '600';

export function registerCors(app: FastifyInstance, allowedOrigins: readonly string[]): void {
  if (allowedOrigins.length === 0) return;
  const allowed = new Set(allowedOrigins);

  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    reply.header('vary', 'Origin');
    if (origin === undefined || !allowed.has(origin)) return;
    reply.header('access-control-allow-origin', origin);
    // Lets the SPA read the step-up challenge (insufficient_scope / insufficient_user_authentication).
    // Idempotent-Replayed tells it a retried transfer was answered from the first attempt.
    reply.header('access-control-expose-headers', 'WWW-Authenticate, Idempotent-Replayed');
  });

  app.options('/*', async (request, reply) => {
    const origin = request.headers.origin;
    if (origin === undefined || !allowed.has(origin))
      return reply
        .code(403)
        .send({ error: 'cors_origin_not_allowed', error_description: 'origin not allowed' });
    return reply
      .code(204)
      .header('access-control-allow-methods', 'GET, POST')
      .header('access-control-allow-headers', 'Authorization, Content-Type, Idempotency-Key')
      .header('access-control-max-age', PREFLIGHT_MAX_AGE_SECONDS)
      .send();
  });
}
