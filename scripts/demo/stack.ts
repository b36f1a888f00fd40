// Everything the scenario needs, in-process and throwaway: a local tenant (random port, temporary state), tenant/
// deployed to it, and the banking API trusting it. `close()` stops all of it, also after a partial start.
import { generateKeyPairSync, createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bankingApiConfig, createBankingApi } from '../../banking-api/index.js';
import { startLocalTenant, type LocalTenant } from '../../local-tenant/index.js';
import { localTenantTarget, type Target } from '../../deploy/target/target.js';
import { SPA_CLIENT_NAME, findClientIdByName } from '../../web/client-lookup.js';
import { deployTenant, type DemoDeployResult } from './deploy-tenant.js';
import { trustCaForFetch } from '../../lib/trust-ca.js';

export interface DemoStackOptions {
  repoRoot: string;
  /** Reuse a CA directory (tests share one trusted CA); default: a fresh CA in the temporary state. */
  caDir?: string;
  /** Browser origins the banking API accepts (the web page's). */
  corsOrigins?: string[];
  progress(message: string): void;
}

export interface DemoStack {
  tenant: LocalTenant;
  target: Target;
  deploy: DemoDeployResult;
  apiUrl: string;
  spaClientId: string;
  user: { email: string; password: string };
  close(): Promise<void>;
}

export async function startDemoStack(options: DemoStackOptions): Promise<DemoStack> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    const stateDir = mkdtempSync(join(tmpdir(), 'banking-demo-'));
    cleanups.push(() => rmSync(stateDir, { recursive: true, force: true }));
    const tenant = await startLocalTenant({
      port: 0,
      stateDir,
      persist: false,
      reset: true,
      caDir: options.caDir ?? stateDir,
      actionBuildTimings: { pendingMs: 20, buildingMs: 20 },
    });
    cleanups.push(() => tenant.close());
    cleanups.push(trustCaForFetch(tenant.caCertPem));
    options.progress(`local tenant: ${tenant.baseUrl} (temporary state ${stateDir})`);

    // The banking API's own key pair (docs/asp.md): the public half is deployed as the resource
    // server's verificationKey.
    const resourceServerPrivateKeyPem = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const target = localTenantTarget(tenant);
    const deploy = await deployTenant({
      repoRoot: options.repoRoot,
      target,
      resourceServerPrivateKeyPem,
      progress: options.progress,
    });
    if (!deploy.verified)
      throw new Error(
        'deploy finished but the tenant does not match tenant/ (verification failed)',
      );
    const user = deploy.users[0];
    if (!user?.password)
      throw new Error('tenant/env/local.json seeds no demo user with a password (deploy.users)');
    const spaClientId = await findClientIdByName(target, SPA_CLIENT_NAME);

    const api = createBankingApi(
      bankingApiConfig({
        issuerBaseUrl: `${tenant.baseUrl}/`,
        port: 0,
        resourceServerPrivateKey: createPrivateKey(resourceServerPrivateKeyPem),
        corsOrigins: options.corsOrigins ?? [],
      }),
    );
    cleanups.push(() => api.close());
    const apiUrl = await api.app.listen({ host: '127.0.0.1', port: 0 });
    options.progress(`banking API: ${apiUrl} (issuer ${tenant.baseUrl}/)`);

    return {
      tenant,
      target,
      deploy,
      apiUrl,
      spaClientId,
      user: { email: user.email, password: user.password },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
