// The endpoints an app calls with what it was issued: /userinfo (access token), /oauth/revoke (refresh token)
// and the local tenant's /oauth/introspect (resource servers).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TenantContext } from '../context.js';
import { OAuthError } from '../errors.js';
import { authenticateClient } from './client-auth.js';
import { bodyParams } from './http-helpers.js';
import { introspect } from './introspection.js';
import { findUser } from './login-users.js';
import type { AuthRuntime } from './runtime.js';
import { profileClaims } from './token-issuer.js';

export function sessionEndpointRoutes(
  app: FastifyInstance,
  tenant: TenantContext,
  runtime: AuthRuntime,
): void {
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

  // https://auth0.com/docs/api/authentication/revoke-refresh-token/revoke-refresh-token (RFC 7009): 200 with an
  // empty body, also for an unknown token. Auth0 "verifies whether the token was issued to the application
  // making the revocation request" and refuses the request otherwise
  // (https://auth0.com/docs/secure/tokens/refresh-tokens/revoke-refresh-tokens); UNCONFIRMED: the error code,
  // here RFC 6749's invalid_grant ("issued to another client").
  app.post('/oauth/revoke', async (request, reply) => {
    const params = bodyParams(request.body);
    const { client } = await authenticateClient(tenant, request, params, { allowPublic: true });
    if (!params.token)
      throw new OAuthError(400, 'invalid_request', 'Missing required parameter: token');
    if (runtime.refreshTokens.revoke(params.token, client.client_id) === 'other-client')
      throw new OAuthError(400, 'invalid_grant', 'The refresh token was not issued to this client');
    return reply.code(200).send();
  });

  app.post('/oauth/introspect', async (request, reply) => {
    const answer = await introspect(tenant, runtime, bodyParams(request.body));
    return reply.header('cache-control', 'no-store').send(answer);
  });
}
