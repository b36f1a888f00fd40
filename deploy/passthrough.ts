// Sections of tenant.yaml this engine does not manage are handed to auth0-deploy-cli's import, limited to exactly
// those sections (AUTH0_INCLUDED_ONLY), so the project can manage whatever a0deploy manages.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trustCaForFetch } from '../lib/trust-ca.js';
import { stringify } from 'yaml';
import type { Target } from './target/target.js';

export async function importWithDeployCli(
  target: Target,
  sections: Record<string, unknown>,
  basePath: string,
  allowDelete: boolean,
): Promise<void> {
  const names = Object.keys(sections);
  if (names.length === 0) return;
  // a0deploy uses the global fetch and hard-codes https://<domain>: trust the local tenant's CA process-wide.
  if (target.caCertPem) trustCaForFetch(target.caCertPem);
  const { deploy } = await import('auth0-deploy-cli');
  // a0deploy's object input crashes without a base path; a private temp file of the already keyword-replaced
  // sections is the path it handles best (and keeps it from re-reading keywords of ours).
  const dir = mkdtempSync(join(tmpdir(), 'tenant-passthrough-'));
  const file = join(dir, 'tenant.yaml');
  writeFileSync(file, stringify(sections), { mode: 0o600 });
  try {
    await deploy({
      input_file: file,
      env: false,
      config: {
        AUTH0_DOMAIN: target.domain,
        AUTH0_CLIENT_ID: target.clientId,
        ...(target.clientSecret ? { AUTH0_CLIENT_SECRET: target.clientSecret } : {}),
        // cast: our section names are a0deploy's YAML section names; its AssetTypes union is not exported.
        AUTH0_INCLUDED_ONLY: names as never,
        AUTH0_ALLOW_DELETE: allowDelete,
        // Files a section refers to (templates, scripts) stay relative to tenant.yaml.
        AUTH0_BASE_PATH: basePath,
      },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
