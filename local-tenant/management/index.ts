// Management API v2 plugin, mounted at /api/v2.
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context.js';
import { managementRouter } from './routes.js';
import { registerResourceServerRoutes } from './resource-servers.js';
import { registerClientRoutes } from './clients.js';
import { registerClientCredentialRoutes } from './client-credential-routes.js';
import { registerClientGrantRoutes } from './client-grants.js';
import { registerActionRoutes } from './actions.js';
import { registerTriggerRoutes } from './triggers.js';
import { registerGuardianRoutes } from './guardian.js';
import { registerGuardianSettingsRoutes } from './guardian-settings.js';
import { registerTenantSettingsRoutes } from './tenant-settings.js';
import { registerConnectionRoutes } from './connections.js';
import { registerUserRoutes } from './users.js';
import { registerApplicationPasswordRoutes } from './application-passwords.js';
import { registerLogRoutes } from './logs.js';

export async function managementPlugin(
  app: FastifyInstance,
  { tenant }: { tenant: TenantContext },
): Promise<void> {
  const route = managementRouter(app, tenant);
  for (const register of [
    registerResourceServerRoutes,
    registerClientRoutes,
    registerClientCredentialRoutes,
    registerClientGrantRoutes,
    registerActionRoutes,
    registerTriggerRoutes,
    registerGuardianRoutes,
    registerGuardianSettingsRoutes,
    registerTenantSettingsRoutes,
    registerConnectionRoutes,
    registerUserRoutes,
    registerApplicationPasswordRoutes,
    registerLogRoutes,
  ]) {
    register(route, tenant);
  }
}
