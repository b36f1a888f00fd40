// Sections of tenant.yaml this engine does not manage are handed to auth0-deploy-cli's import, limited to exactly
// those sections (AUTH0_INCLUDED_ONLY), so the project can manage whatever a0deploy manages.
import { Agent, setGlobalDispatcher } from 'undici';
import type { Target } from './target/target.js';

export async function importWithDeployCli(target: Target, sections: Record<string, unknown>, allowDelete: boolean): Promise<void> {
  const names = Object.keys(sections);
  if (names.length === 0) return;
  // a0deploy uses the global fetch and hard-codes https://<domain>: trust the local tenant's CA process-wide.
  if (target.caCertPem) setGlobalDispatcher(new Agent({ connect: { ca: target.caCertPem } }));
  const { deploy } = await import('auth0-deploy-cli');
  await deploy({
    input_file: sections as never,
    env: false,
    config: {
      AUTH0_DOMAIN: target.domain,
      AUTH0_CLIENT_ID: target.clientId,
      ...(target.clientSecret ? { AUTH0_CLIENT_SECRET: target.clientSecret } : {}),
      AUTH0_INCLUDED_ONLY: names as never,
      AUTH0_ALLOW_DELETE: allowDelete,
    } as never,
  });
}
