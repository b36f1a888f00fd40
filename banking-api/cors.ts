// CORS for browser callers (the banking SPA): only the listed origins, only GET/POST with the Authorization
// header, and WWW-Authenticate exposed so the page can read why a call was refused (insufficient_scope, …).
// Separate from routes.ts so the API stays closed to browsers unless an origin is configured (CORS_ORIGINS).
import type { FastifyInstance } from 'fastify';

const PREFLIGHT_MAX_AGE_SECONDS = 600;

export class CorsConfigError extends Error {}

/** `CORS_ORIGINS=http://127.0.0.1:3000,https://bank.example` → exact origins; anything else is an error. */
export function parseCorsOrigins(value: string | undefined): string[] {
  if (!value?.trim()) return [];
  return value.split(',').map((raw) => {
    const origin = raw.trim();
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new CorsConfigError(`CORS_ORIGINS: "${origin}" is not an origin (expected e.g. http://127.0.0.1:3000)`);
    }
    if (url.origin !== origin) throw new CorsConfigError(`CORS_ORIGINS: "${origin}" is not an origin (did you mean ${url.origin}?)`);
    return origin;
  });
}

/** Must run before the app is ready (i.e. before listen/inject). */
export function registerCors(app: FastifyInstance, allowedOrigins: readonly string[]): void {
  if (allowedOrigins.length === 0) return;
  const allowed = new Set(allowedOrigins);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('vary', 'Origin');
    const origin = request.headers.origin;
    if (origin && allowed.has(origin)) {
      reply.header('access-control-allow-origin', origin);
      reply.header('access-control-expose-headers', 'WWW-Authenticate');
    }
  });
  app.options('/*', async (request, reply) => {
    const origin = request.headers.origin;
    if (!origin || !allowed.has(origin) || !request.headers['access-control-request-method']) {
      return reply.code(403).send({ error: 'cors_denied', error_description: 'origin not allowed' });
    }
    return reply
      .code(204)
      .header('access-control-allow-methods', 'GET, POST')
      .header('access-control-allow-headers', 'Authorization, Content-Type')
      .header('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS))
      .send();
  });
}
