// Control endpoints for tests that drive a tenant in another process: /__local-tenant/{faults,rate-limit,
// keys/*}. Guarded by header `x-local-tenant-admin: <bootstrap client secret>`; not part of Auth0's API.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ManagementApiError } from '../errors.js';
import type { TenantContext } from '../context.js';
import { parseBody } from '../management/validation.js';
import { faultRuleSchema } from './faults.js';
import { rateLimitConfigSchema, rateLimitPresetNames } from './rate-limit.js';
import { errorMessage } from '../../lib/guards.js';

const rateLimitBody = z.union([
  z.strictObject({
    preset: z.enum(rateLimitPresetNames),
  }),
  rateLimitConfigSchema,
  z.strictObject({ off: z.literal(true) }),
]);

export async function adminPlugin(
  app: FastifyInstance,
  { tenant }: { tenant: TenantContext },
): Promise<void> {
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const given = Buffer.from(String(request.headers['x-local-tenant-admin'] ?? ''));
    const expected = Buffer.from(tenant.adminSecret());
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new ManagementApiError(401, 'Missing or wrong x-local-tenant-admin header');
    }
  });

  app.get('/faults', async () => tenant.faults.list());
  app.post('/faults', async (request, reply) => {
    const rule = parseBody(faultRuleSchema, request.body);
    try {
      reply.code(201);
      return { id: tenant.faults.add(rule) };
    } catch (error) {
      throw new ManagementApiError(
        400,
        `Invalid fault rule: ${errorMessage(error)}`,
        'invalid_body',
      );
    }
  });
  app.delete('/faults', async (_request, reply) => {
    tenant.faults.clear();
    return reply.code(204).send();
  });

  app.put('/rate-limit', async (request) => {
    const body = parseBody(rateLimitBody, request.body);
    if ('off' in body) tenant.rateLimiter.configure(undefined);
    else tenant.rateLimiter.configure('preset' in body ? body.preset : body);
    return { enabled: tenant.rateLimiter.enabled };
  });

  app.post('/keys/publish-next', async () => ({ kid: tenant.keys.publishNextKey() }));
  app.post('/keys/promote-next', async () => ({ kid: tenant.keys.promoteNextKey() }));
}
