// `npm run check -- --live`: the tenant as it is, judged by the same rules — a deployed tenant passes, and a change
// made by hand in the tenant (a partner given transfer:funds) is found without any file saying so.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadLiveForCheck } from '../../check/live.js';
import { rules } from '../../check/rules/index.js';
import { passes, runChecks } from '../../check/run.js';
import { useLocalTenant } from '../helpers/local-tenant.js';
import { createWorkspace, deploy, type Workspace } from '../deploy/helpers.js';

const fixture = useLocalTenant();
let workspace: Workspace;

beforeAll(async () => {
  workspace = await createWorkspace();
  await deploy(fixture.tenant, workspace);
});

const liveReport = async () =>
  runChecks(
    await loadLiveForCheck(fixture.management, {
      env: 'local',
      domain: fixture.tenant.domain,
      deployClientId: fixture.tenant.bootstrap.clientId,
    }),
    rules,
  );

describe('live tenant checks', () => {
  it('a tenant deployed from this repository passes, its Action secrets treated as unknown', async () => {
    const report = await liveReport();
    expect(report.source).toBe('live');
    const open = report.findings.filter((f) => f.severity === 'error');
    expect(open.map((f) => `${f.ruleId}: ${f.message}`)).toEqual([]);
    expect(passes(report)).toBe(true);
  }, 60_000);

  it('finds a grant changed by hand, naming the resource (no file or line)', async () => {
    const grants = await fixture.management.clientGrants.list({
      audience: 'https://my-banking-api',
    });
    const partnerGrant = grants.data.find((grant) => grant.scope?.includes('view:balance'));
    expect(partnerGrant).toBeDefined();
    await fixture.management.clientGrants.update(partnerGrant!.id!, {
      scope: ['view:balance', 'transfer:funds'],
    });
    const report = await liveReport();
    const finding = report.findings.find((f) => f.ruleId === 'step-up.no-m2m-transfer');
    expect(finding).toMatchObject({
      severity: 'error',
      resource: 'grant "Banking Partner" → https://my-banking-api',
      location: {},
    });
    expect(passes(report)).toBe(false);
  }, 60_000);
});
