// POST /oauth/token: dispatches on grant_type through the runtime's grant registry.
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context.js';
import { OAuthError } from '../errors.js';
import type { GrantRegistry } from './grants.js';
import { bodyParams } from './http-helpers.js';

export function tokenEndpointRoutes(
  app: FastifyInstance,
  tenant: TenantContext,
  grants: GrantRegistry,
): void {
  app.post('/oauth/token', async (request, reply) => {
    const params = bodyParams(request.body);
    const grantType = params.grant_type;
    if (!grantType)
      throw new OAuthError(400, 'invalid_request', 'Missing required parameter: grant_type');
    const handler = grants.get(grantType);
    if (!handler)
      throw new OAuthError(403, 'unsupported_grant_type', `Unsupported grant type: ${grantType}`);
    const response = await handler({ params, request, reply, tenant });
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    return response;
  });
}
