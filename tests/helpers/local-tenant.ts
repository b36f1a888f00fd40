// One in-process local tenant per test file (random port, in-memory state) and a ready auth0 v7
// ManagementClient. Trust comes from tests/setup/local-tenant-ca.ts (vitest globalSetup).
import { afterAll, beforeAll } from 'vitest';
import { ManagementClient } from 'auth0';
import {
  startLocalTenant,
  type LocalTenant,
  type StartLocalTenantOptions,
} from '../../local-tenant/index.js';

export interface LocalTenantFixture {
  readonly tenant: LocalTenant;
  /** ManagementClient authenticated as the bootstrap client (all scopes), retries off so errors surface. */
  readonly management: ManagementClient;
  /** Management API access token of the bootstrap client (optionally only some scopes). */
  token(scope?: string): Promise<string>;
}

export function testCaDir(): string {
  const dir = process.env.LOCAL_TENANT_TEST_CA_DIR;
  if (!dir || !process.env.NODE_EXTRA_CA_CERTS) {
    throw new Error(
      'Local tenant tests need vitest globalSetup tests/setup/local-tenant-ca.ts (see vitest.config.ts) so NODE_EXTRA_CA_CERTS trusts the test CA',
    );
  }
  return dir;
}

/** Starts a tenant in beforeAll and closes it in afterAll. */
export function useLocalTenant(options: StartLocalTenantOptions = {}): LocalTenantFixture {
  let tenant: LocalTenant | undefined;
  let management: ManagementClient | undefined;

  beforeAll(async () => {
    tenant = await startLocalTenant({ port: 0, persist: false, caDir: testCaDir(), ...options });
    management = new ManagementClient({
      domain: tenant.domain,
      clientId: tenant.bootstrap.clientId,
      clientSecret: tenant.bootstrap.clientSecret,
      maxRetries: 0,
    });
  });

  afterAll(async () => {
    await tenant?.close();
  });

  return {
    get tenant() {
      if (!tenant) throw new Error('local tenant not started yet (use it inside tests or hooks)');
      return tenant;
    },
    get management() {
      if (!management)
        throw new Error('local tenant not started yet (use it inside tests or hooks)');
      return management;
    },
    async token(scope?: string) {
      if (!tenant) throw new Error('local tenant not started yet');
      const response = await fetch(`${tenant.baseUrl}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: tenant.bootstrap.clientId,
          client_secret: tenant.bootstrap.clientSecret,
          audience: `${tenant.baseUrl}/api/v2/`,
          ...(scope ? { scope } : {}),
        }),
      });
      const body = (await response.json()) as { access_token?: string };
      if (!body.access_token)
        throw new Error(`token request failed: ${response.status} ${JSON.stringify(body)}`);
      return body.access_token;
    },
  };
}
