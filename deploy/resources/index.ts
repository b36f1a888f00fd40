// Every managed type, in apply order: sorted by each module's `dependsOn` when this module loads, so a dependency
// cycle stops every command at startup. Types with no order between them keep the order listed here.
import { actions } from './actions.js';
import { clientGrants } from './client-grants.js';
import { clients } from './clients.js';
import { databases } from './databases.js';
import { guardianFactors, guardianPolicies } from './guardian-factors.js';
import { inDependencyOrder } from './order.js';
import { resourceServers } from './resource-servers.js';
import { tenantSettings } from './tenant-settings.js';
import { triggers } from './triggers.js';
import type { AnyResourceModule } from './types.js';
import { users } from './users.js';

export const resourceModules: readonly AnyResourceModule[] = inDependencyOrder<AnyResourceModule>([
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
]);
