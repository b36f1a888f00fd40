// --env local without AUTH0_*: the same background local tenant `npm run deploy` uses (deploy/cli.ts), plus its
// CA, so this process trusts it without NODE_EXTRA_CA_CERTS having been set at start-up.
import { readFileSync } from 'node:fs';
import { fromLocalEnv } from '../../deploy/cli.js';
import type { LocalTenantConnection } from '../../deploy/target/target.js';
import { ensureLocalTenantRunning } from '../../local-tenant/ensure.js';

export async function startBackgroundLocalTenant(): Promise<LocalTenantConnection> {
  const { env } = await ensureLocalTenantRunning();
  return { ...fromLocalEnv({ ...env }), caCertPem: readFileSync(env.NODE_EXTRA_CA_CERTS, 'utf8') };
}
