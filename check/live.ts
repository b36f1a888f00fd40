// The tenant as it is, as a check input: exported the way `npm run export` does (only managed sections, the
// schema's fields, Action secrets as keywords because Auth0 never returns their values), then read by the same
// loader as tenant.yaml. So the live tenant and the files are judged by one rule set.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ManagementClient } from 'auth0';
import { exportTenant } from '../deploy/export/export-tenant.js';
import { loadDesiredForCheck } from './desired.js';
import type { CheckInput } from './types.js';

export async function loadLiveForCheck(
  mgmt: ManagementClient,
  target: { env: string; domain: string; deployClientId: string },
): Promise<CheckInput> {
  const exported = await exportTenant(mgmt, {
    domain: target.domain,
    deployClientId: target.deployClientId,
  });
  const dir = mkdtempSync(join(tmpdir(), 'tenant-check-live-'));
  try {
    const tenantFile = join(dir, 'tenant.yaml');
    writeFileSync(tenantFile, exported.tenantYaml);
    mkdirSync(join(dir, 'env'));
    writeFileSync(join(dir, 'env', `${target.env}.json`), JSON.stringify(exported.envFile));
    for (const [file, code] of exported.actionFiles) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), code);
    }
    const input = loadDesiredForCheck({ tenantFile, env: target.env, variables: {} });
    // Findings name the resource; a line of a temporary export would mean nothing to the reader.
    return { ...input, source: 'live', locate: () => ({}) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
