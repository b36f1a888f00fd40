// The HTTPS server, composed from plugins: authentication/ (token endpoint, JWKS, discovery), management/
// (/api/v2) and ops/admin (/__local-tenant). Cross-cutting hooks: faults, rate limit, request log, and
// error mapping so a client's mistake always gets Auth0's error shape, never a 500.
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { TenantContext } from './context.js';
import { ManagementApiError, OAuthError } from './errors.js';
import { authenticationPlugin, type AuthenticationSettings } from './authentication/index.js';
import { managementPlugin } from './management/index.js';
import { adminPlugin } from './ops/admin.js';
import type { ManagementCaller } from './management/auth.js';
import { recordManagementWrite } from './management/log-events.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Client to record in the request log (set by token endpoint / Management API auth). */
    clientIdForLog?: string;
    /** The authenticated Management API caller (for the tenant logs). */
    managementCaller?: ManagementCaller;
  }
}

export interface ServerTls {
  key: string;
  cert: string;
}

/** Auth0's Management API refuses bodies over 1 MB (hapi default payload limit). */
const bodyLimitBytes = 1024 * 1024;

function isOAuthPath(request: FastifyRequest): boolean {
  return (
    request.url.startsWith('/oauth/') ||
    request.url.startsWith('/mfa/') ||
    request.url.startsWith('/passwordless/')
  );
}

/** Maps framework-level failures (body parsing, size, content type) to Auth0's wording. */
function frameworkError(error: FastifyError): ManagementApiError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ManagementApiError(415, 'Unsupported Media Type');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ManagementApiError(
        413,
        `Payload content length greater than maximum allowed: ${bodyLimitBytes}`,
      );
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ManagementApiError(400, 'Invalid content-length header');
    case 'LT_INVALID_JSON':
      return new ManagementApiError(400, 'Invalid request payload JSON format');
    default:
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
        return new ManagementApiError(error.statusCode, error.message);
      return undefined;
  }
}

export async function buildServer(
  tenant: TenantContext,
  tls: ServerTls,
  authentication: AuthenticationSettings = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    https: { key: tls.key, cert: tls.cert },
    // deploy-cli blocks its event loop 13–23 s compiling its schema; keep idle sockets alive across that.
    keepAliveTimeout: 120_000,
    forceCloseConnections: true,
    bodyLimit: bodyLimitBytes,
    logger: false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
  });

  // Fastify's JSON parser (refuses __proto__ / constructor.prototype poisoning) that also accepts an empty
  // body: SDKs send a bodiless POST …/deploy with a JSON content type.
  const secureJsonParser = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, text, done) => {
    if (String(text).trim() === '') return done(null, undefined);
    secureJsonParser(request, String(text), (error, body) => {
      if (error)
        return done(
          Object.assign(new Error('Invalid request payload JSON format'), {
            code: 'LT_INVALID_JSON',
            statusCode: 400,
          }),
          undefined,
        );
      done(null, body);
    });
  });

  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? request.url;
    const fault = tenant.faults.decide(request.method, path);
    if (fault) {
      if (fault.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
      if (fault.drop) {
        reply.hijack();
        request.raw.socket.destroy();
        return reply;
      }
      if (fault.status) {
        const error = new ManagementApiError(
          fault.status,
          'Injected fault (local tenant)',
          'injected_fault',
        );
        return reply.code(fault.status).send(error.toBody());
      }
    }
    if (path.startsWith('/api/v2/')) {
      const decision = tenant.rateLimiter.take();
      reply.headers(decision.headers);
      if (!decision.allowed) {
        return reply
          .code(429)
          .send(
            new ManagementApiError(
              429,
              'Global limit has been reached',
              'too_many_requests',
            ).toBody(),
          );
      }
    }
    return undefined;
  });

  app.addHook('onResponse', async (request, reply) => {
    tenant.requestLog.record({
      time: new Date().toISOString(),
      method: request.method,
      path: request.url.split('?')[0] ?? request.url,
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 100) / 100,
      ...(request.clientIdForLog ? { clientId: request.clientIdForLog } : {}),
    });
    if (request.url.startsWith('/api/v2/'))
      recordManagementWrite(tenant, request, reply.statusCode);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof OAuthError) return reply.code(error.statusCode).send(error.toBody());
    const mapped = error instanceof ManagementApiError ? error : frameworkError(error);
    if (mapped) {
      if (isOAuthPath(request)) {
        return reply
          .code(mapped.statusCode)
          .send(new OAuthError(mapped.statusCode, 'invalid_request', mapped.message).toBody());
      }
      reply.headers(mapped.options.headers ?? {});
      return reply.code(mapped.statusCode).send(mapped.toBody());
    }
    // A genuine bug: report it without internals.
    process.stderr.write(
      `local-tenant: internal error on ${request.method} ${request.url}: ${error.stack ?? String(error)}\n`,
    );
    return reply.code(500).send(new ManagementApiError(500, 'Internal Server Error').toBody());
  });

  app.setNotFoundHandler((request, reply) => {
    const body = isOAuthPath(request)
      ? { error: 'not_found', error_description: 'Not Found' }
      : new ManagementApiError(404, 'Not Found').toBody();
    return reply.code(404).send(body);
  });

  await app.register(authenticationPlugin, { tenant, settings: authentication });
  await app.register(managementPlugin, { tenant, prefix: '/api/v2' });
  await app.register(adminPlugin, { tenant, prefix: '/__local-tenant' });
  return app;
}
