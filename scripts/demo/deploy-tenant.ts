// Deploys tenant/ to the demo's tenant with the deploy engine's own functions (prepare → applyPrepared), the path
// `npm run deploy` takes, without touching keys/ or .env: the resource server key pair is the demo's own.
import { join } from 'node:path';
import type { DesiredState } from '../../deploy/config/load.js';
import { summarize } from '../../deploy/plan/plan.js';
import { applyPrepared, prepare } from '../../deploy/run.js';
import type { Target } from '../../deploy/target/target.js';

export interface DemoDeployResult {
  planned: ReturnType<typeof summarize>;
  applied: number;
  verified: boolean;
  /** Users the env file seeds (the demo logs in as the first), with their passwords. */
  users: DesiredState['deploy']['users'];
  /** Callbacks the env file gives a client, by client name. */
  callbacksOf(clientName: string): string[];
}

export async function deployTenant(options: {
  repoRoot: string;
  target: Target;
  resourceServerPrivateKeyPem: string;
  progress(message: string): void;
}): Promise<DemoDeployResult> {
  const prepared = await prepare({
    env: options.target.env,
    tenantFile: join(options.repoRoot, 'tenant', 'tenant.yaml'),
    target: options.target,
    // Only these variables: a developer's shell (AUTH0_*, keyword overrides) must not change the demo.
    variables: { RESOURCE_SERVER_PRIVATE_KEY: options.resourceServerPrivateKeyPem },
    // A local tenant has no Free-plan rate limit: a generous budget keeps the demo quick.
    budget: { perSecond: 100, burst: 100 },
    log: options.progress,
  });
  try {
    const outcome = await applyPrepared(prepared, { log: options.progress });
    const { desired } = prepared;
    const callbacksOf = (clientName: string) => {
      const client = desired.sections.clients?.find((candidate) => candidate.name === clientName);
      return Array.isArray(client?.callbacks)
        ? client.callbacks.filter((url): url is string => typeof url === 'string')
        : [];
    };
    return {
      planned: summarize(prepared.plan),
      applied: outcome.result.applied,
      verified: outcome.result.verified,
      users: desired.deploy.users,
      callbacksOf,
    };
  } finally {
    await prepared.close();
  }
}
