// Every managed type, in apply order (dependencies first). Deletes run in the reverse order.
import { actions } from './actions.js';
import { clientGrants } from './client-grants.js';
import { clients } from './clients.js';
import { databases } from './databases.js';
import { guardianFactors, guardianPolicies } from './guardian-factors.js';
import { resourceServers } from './resource-servers.js';
import { tenantSettings } from './tenant-settings.js';
import { triggers } from './triggers.js';
import type { ResourceModule, ResourceType } from './types.js';
import { users } from './users.js';

export const resourceModules: readonly ResourceModule[] = [
  resourceServers,
  clients,
  clientGrants,
  databases,
  users,
  actions,
  triggers,
  guardianFactors,
  guardianPolicies,
  tenantSettings,
];

export function moduleFor(type: ResourceType): ResourceModule {
  const found = resourceModules.find((module) => module.type === type);
  if (!found) throw new Error(`no module for resource type ${type}`);
  return found;
}
