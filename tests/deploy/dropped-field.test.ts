// Real Auth0 can answer 200 to a write and not apply one of its properties. The deploy must notice it from its
// post-apply verification (re-reading what it changed), report the difference that remains, and `npm run deploy`
// must exit 1 — a deploy that trusts the 200 would report success with the tenant still different.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { useLocalTenant } from '../helpers/local-tenant.js';
import { startFieldDroppingProxy, type FieldDroppingProxy } from './field-dropping-proxy.js';
import {
  createWorkspace,
  deploy,
  runScript,
  targetOf,
  testBudget,
  type Workspace,
} from './helpers.js';

const fixture = useLocalTenant();
let workspace: Workspace;
let proxy: FieldDroppingProxy;

const before = 'Partner machine-to-machine access to the banking API';
const after = 'Partner access to the banking API (read only)';

beforeAll(async () => {
  workspace = await createWorkspace();
  // The child `npm run deploy` reads its request budget from the env file: a test needs no Free-plan pace.
  const envFile = join(workspace.dir, 'tenant', 'env', 'local.json');
  const values = JSON.parse(readFileSync(envFile, 'utf8')) as { deploy: Record<string, unknown> };
  values.deploy.rateLimit = testBudget;
  writeFileSync(envFile, JSON.stringify(values));
  const first = await deploy(fixture.tenant, workspace);
  expect(first.result.verified).toBe(true);
  // A tenant that silently ignores `description` in a client PATCH.
  proxy = await startFieldDroppingProxy(fixture.tenant, {
    method: 'PATCH',
    path: /^\/api\/v2\/clients\/[^/]+$/,
    field: 'description',
  });
});

afterAll(async () => {
  await proxy?.close();
});

it('a write the tenant accepted but did not apply leaves the deploy unverified, naming the field', async () => {
  workspace.edit((yaml) => yaml.replace(`description: ${before}`, `description: ${after}`));
  try {
    const outcome = await deploy(fixture.tenant, workspace, {
      target: { ...targetOf(fixture.tenant), domain: proxy.domain },
    });
    const partner = outcome.plan.changes.find((change) => change.key === 'Banking Partner');
    expect(outcome.plan.changes).toEqual([
      {
        type: 'clients',
        key: 'Banking Partner',
        action: 'update',
        id: partner?.id,
        fields: [{ path: 'description', before, after }],
      },
    ]);
    expect(proxy.dropped).toEqual([`PATCH /api/v2/clients/${partner?.id} description`]);
    expect(outcome.result.applied).toBe(1);
    expect(outcome.result.verified).toBe(false);
    expect(outcome.result.remaining).toEqual(outcome.plan.changes);
    expect(outcome.checkpointWritten).toBeUndefined();
  } finally {
    workspace.restore();
  }
});

it('npm run deploy against such a tenant reports the remaining difference and exits 1', async () => {
  workspace.edit((yaml) => yaml.replace(`description: ${before}`, `description: ${after}`));
  try {
    const run = await runScript(fixture.tenant, workspace, 'scripts/deploy.ts', [], {
      AUTH0_DOMAIN: proxy.domain,
    });
    expect(run.stderr).toContain('but the tenant still differs');
    expect(run.stderr).toContain('update clients "Banking Partner": description');
    expect(run.code).toBe(1);
  } finally {
    workspace.restore();
  }
}, 90_000);
