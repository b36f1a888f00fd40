// A scratch copy of everything a deploy reads — tenant/, freshly bundled Actions in dist/actions, a key pair made
// now — in a folder of its own under the OS temp dir. Tests and `npm run bench:deploy` deploy from it, so they may
// edit tenant.yaml or the bundles without touching the repository's tenant/ or keys/. `remove()` deletes it.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleActions } from '../actions/bundle.js';
import { createKeys } from './keys.js';

export interface DeployWorkspace {
  dir: string;
  tenantFile: string;
  keysDir: string;
  remove(): void;
}

/** The repository's own tenant/ folder, wherever the process runs from. */
const repoTenantDir = join(import.meta.dirname, '..', 'tenant');

export async function createDeployWorkspace(): Promise<DeployWorkspace> {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-workspace-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    cpSync(repoTenantDir, join(dir, 'tenant'), { recursive: true });
    await bundleActions({ outDir: join(dir, 'dist', 'actions') });
    const keysDir = join(dir, 'keys');
    createKeys(keysDir);
    return { dir, tenantFile: join(dir, 'tenant', 'tenant.yaml'), keysDir, remove };
  } catch (error) {
    remove();
    throw error;
  }
}
