// vitest globalSetup (main process, before the fork workers start): ensure one stable test CA under
// .local-tenant/test-ca and point NODE_EXTRA_CA_CERTS at it. Node reads NODE_EXTRA_CA_CERTS only at process
// start, and the forked workers inherit this environment, so global fetch (auth0 SDK) in every worker and
// child processes (a0deploy) trust the in-process local tenants the tests start.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ensureTlsMaterial } from '../../local-tenant/tls.js';
import { writeFileAtomic } from '../../local-tenant/state/atomic-file.js';

export const testCaDir = resolve('.local-tenant/test-ca');

export default async function setup(): Promise<void> {
  const { caCertPem } = await ensureTlsMaterial(testCaDir);
  const bundlePath = resolve(testCaDir, 'trust-bundle.pem');
  // Keep whatever CA the caller already trusted (e.g. a sourced .local-tenant/.env) in the bundle.
  const inherited = process.env.NODE_EXTRA_CA_CERTS;
  const previous =
    inherited && inherited !== bundlePath && existsSync(inherited)
      ? readFileSync(inherited, 'utf8')
      : '';
  writeFileAtomic(bundlePath, `${previous.trim()}\n${caCertPem}`.trimStart());
  process.env.NODE_EXTRA_CA_CERTS = bundlePath;
  process.env.LOCAL_TENANT_TEST_CA_DIR = testCaDir;
}
