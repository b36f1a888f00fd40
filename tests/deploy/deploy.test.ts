// Deploy against an in-process local tenant over real HTTPS: first deploy, no-op, one-field change, Action change,
// hand-made drift, deletes only with --allow-delete.
import { beforeAll, describe, expect, it } from 'vitest';
import { hasChanges } from '../../deploy/plan/plan.js';
import { useLocalTenant } from '../helpers/local-tenant.js';
import { createWorkspace, deploy, plan, writesIn, type Workspace } from './helpers.js';

const fixture = useLocalTenant();
let workspace: Workspace;

beforeAll(async () => {
  workspace = await createWorkspace();
});

describe('deploy', () => {
  it('first deploy creates everything, in dependency order, and verifies', async () => {
    const outcome = await deploy(fixture.tenant, workspace);
    expect(outcome.result.verified).toBe(true);
    const created = outcome.plan.changes.filter((c) => c.action === 'create').map((c) => `${c.type}:${c.key}`);
    expect(created).toEqual(expect.arrayContaining(['resourceServers:https://my-banking-api', 'clients:Banking SPA', 'clientGrants:Banking Partner -> https://my-banking-api', 'actions:step-up-challenge', 'databases:Banking-Users', 'users:demo@example.com']));
    const { management } = fixture;
    const spa = (await management.clients.list({ per_page: 100 })).data.find((c) => c.name === 'Banking SPA');
    const bindings = (await management.actions.triggers.bindings.list('post-login')).data;
    expect(bindings.map((b) => b.action?.name)).toEqual(['step-up-challenge', 'step-up-evidence']);
    const actions = (await management.actions.list({})).data;
    const challenge = actions.find((a) => a.name === 'step-up-challenge');
    expect(challenge?.all_changes_deployed).toBe(true);
    expect(spa?.client_id).toBeTruthy();
    const factors = await management.guardian.factors.list();
    expect(factors.find((f) => f.name === 'otp')?.enabled).toBe(true);
    const api = await management.resourceServers.get('https://my-banking-api');
    expect((api as Record<string, unknown>).verificationKey).toMatch(/BEGIN PUBLIC KEY/);
  });

  it('a second deploy with nothing changed makes zero writes', async () => {
    fixture.tenant.requestLog.clear();
    const outcome = await deploy(fixture.tenant, workspace);
    expect(outcome.plan.changes).toEqual([]);
    expect(writesIn(fixture.tenant)).toEqual([]);
    expect(fixture.tenant.requestLog.summary().reads).toBeGreaterThan(0);
  });
});
