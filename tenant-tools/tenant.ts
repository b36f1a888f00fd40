// The tenant the tools talk to: exactly the one `npm run deploy` targets (deploy/target), reached through the
// deploy's ManagementClient (request budget, 429 handling). No second target resolution lives here.
import type { ManagementClient } from 'auth0';
import { Agent } from 'undici';
import { errorMessage } from '../lib/guards.js';
import { fetchThrough } from '../lib/undici-fetch.js';
import type { BudgetOptions } from '../deploy/http/budget.js';
import { connect } from '../deploy/target/management-client.js';
import {
  resolveTarget,
  TargetConfigError,
  type LocalTenantConnection,
  type Target,
} from '../deploy/target/target.js';
import { ToolError } from './errors.js';

export interface TenantOptions {
  /** Values file / target name, as for deploy (default local). */
  env?: string;
  variables?: NodeJS.ProcessEnv;
  /** Used for --env local without AUTH0_* (the CLI passes deploy's background local tenant). */
  startLocalTenant?: () => Promise<LocalTenantConnection>;
  /** Management request budget; default the deploy's Free-tenant budget. */
  budget?: BudgetOptions;
}

export interface ToolTenant {
  target: Target;
  mgmt: ManagementClient;
  /** `https://<domain>/`: the tenant's issuer and the audience of client assertions. */
  issuer: string;
  /** fetch for the Authentication API (trusts the local tenant's CA when the target has one). */
  fetch: typeof globalThis.fetch;
  close(): Promise<void>;
}

export async function openTenant(options: TenantOptions = {}): Promise<ToolTenant> {
  let target: Target;
  try {
    target = await resolveTarget({
      env: options.env ?? 'local',
      ...(options.variables ? { variables: options.variables } : {}),
      ...(options.startLocalTenant ? { startLocalTenant: options.startLocalTenant } : {}),
    });
  } catch (error) {
    if (error instanceof TargetConfigError) throw new ToolError(error.message);
    throw new ToolError(`cannot reach the local tenant: ${errorMessage(error)}`);
  }
  const connected = connect(target, options.budget ? { budget: options.budget } : {});
  const agent = target.caCertPem ? new Agent({ connect: { ca: target.caCertPem } }) : undefined;
  const fetch = agent ? fetchThrough(agent) : globalThis.fetch;
  return {
    target,
    mgmt: connected.mgmt,
    issuer: `https://${target.domain}/`,
    fetch,
    async close() {
      await connected.close();
      await agent?.close();
    },
  };
}
