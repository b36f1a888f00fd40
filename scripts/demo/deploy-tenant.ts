// Deploys tenant/ to the demo's tenant with the deploy engine's own pieces (bundle → load → plan → apply), the same
// path `npm run deploy` takes, without touching keys/ or .env: the resource server key pair is the demo's own.
import { join } from 'node:path';
import { bundleActions } from '../../actions/bundle.js';
import { loadDesiredState, type DesiredState } from '../../deploy/config/load.js';
import { publicKeyFromPrivatePem } from '../../deploy/keys.js';
import { applyPlan } from '../../deploy/plan/apply.js';
import { createContext, createPlan, summarize } from '../../deploy/plan/plan.js';
import { connect } from '../../deploy/target/management-client.js';
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
  await bundleActions({ outDir: join(options.repoRoot, 'dist', 'actions') });
  const desired = loadDesiredState({
    tenantFile: join(options.repoRoot, 'tenant', 'tenant.yaml'),
    env: options.target.env,
    computedKeywords: {
      AUTH0_DOMAIN: options.target.domain,
      RESOURCE_SERVER_VERIFICATION_KEY: publicKeyFromPrivatePem(options.resourceServerPrivateKeyPem, 'the demo key pair'),
    },
    variables: {},
  });
  // A local tenant has no Free-plan rate limit: a generous budget keeps the demo quick.
  const tenant = connect(options.target, { budget: { perSecond: 100, burst: 100 } });
  try {
    const context = createContext({
      mgmt: tenant.mgmt,
      deployClientId: options.target.clientId,
      desired,
      warn: (message) => options.progress(`warning: ${message}`),
      progress: options.progress,
    });
    const plan = await createPlan(context, { domain: options.target.domain, env: options.target.env, source: options.target.source });
    const result = await applyPlan(plan, { ...context, live: plan.live, registry: plan.registry });
    const callbacksOf = (clientName: string) => {
      const client = desired.sections.clients?.find((candidate) => candidate.name === clientName);
      return Array.isArray(client?.callbacks) ? client.callbacks.filter((url): url is string => typeof url === 'string') : [];
    };
    return { planned: summarize(plan), applied: result.applied, verified: result.verified, users: desired.deploy.users, callbacksOf };
  } finally {
    await tenant.close();
  }
}
