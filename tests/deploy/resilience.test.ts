// A deploy never fails because of 429s or transient faults, and a killed deploy is completed by the next one.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../deploy/config/errors.js';
import { freeTenantBudget } from '../../deploy/http/budget.js';
import { hasChanges } from '../../deploy/plan/plan.js';
import { useLocalTenant } from '../helpers/local-tenant.js';
import { childEnv, createWorkspace, deploy, plan, type Workspace } from './helpers.js';

const fixture = useLocalTenant();
let workspace: Workspace;

beforeAll(async () => {
  workspace = await createWorkspace();
});

afterEach(() => {
  fixture.tenant.faults.clear();
  fixture.tenant.rateLimiter.configure(undefined);
});

describe('bad configs', () => {
  const cases: [string, (yaml: string) => string, RegExp][] = [
    [
      'YAML syntax error',
      (y) => y.replace('    signing_alg: RS256', '    signing_alg: [RS256'),
      /tenant\.yaml:\d+: YAML syntax error/,
    ],
    [
      'unknown property',
      (y) =>
        y.replace(
          '    oidc_conformant: true\n    callbacks',
          '    oidc_conformant: true\n    callbakcs: []\n    callbacks',
        ),
      /clients\[0\]\.callbakcs: unknown property/,
    ],
    [
      'missing keyword',
      (y) => y.replace('callbacks: @@SPA_CALLBACKS@@', 'callbacks: @@SPA_CALLBAKCS@@'),
      /keyword SPA_CALLBAKCS has no value/,
    ],
    [
      'grant to an unknown client',
      (y) => y.replace('  - client_id: Banking Partner', '  - client_id: Nobody'),
      /grant to unknown client "Nobody"/,
    ],
    [
      'scope not defined on the API',
      (y) => y.replace('scope: [view:balance]', 'scope: [view:everything]'),
      /scope "view:everything" is not defined on API https:\/\/my-banking-api/,
    ],
  ];
  it.each(cases)('%s → a clear error and not a single request', async (_name, edit, message) => {
    workspace.edit(edit);
    fixture.tenant.requestLog.clear();
    try {
      const failure = await deploy(fixture.tenant, workspace).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(ConfigError);
      expect((failure as Error).message).toMatch(message);
      expect(fixture.tenant.requestLog.entries()).toEqual([]);
    } finally {
      workspace.restore();
    }
  });
});

describe('rate limits and faults', () => {
  it('a deploy with a budget above the tenant limit is answered 429s, waits them out, and completes', async () => {
    // The tenant deployed at full speed first; then a full-read deploy of a drifted field against a tenant limit of
    // 10 per second (burst 5), above the Free plan but below the client budget of 50 per second: the same 429s and
    // waits as on a Free tenant, in a fraction of the time.
    await deploy(fixture.tenant, workspace);
    await fixture.management.resourceServers.update('https://my-banking-api', {
      token_lifetime: 60,
    });
    fixture.tenant.rateLimiter.configure({ burst: 5, perSecond: 10 });
    fixture.tenant.requestLog.clear();
    const outcome = await deploy(fixture.tenant, workspace, {
      budget: { perSecond: 50, burst: 20 },
      refresh: true,
    });
    expect(outcome.result.applied).toBe(1);
    expect(outcome.result.verified).toBe(true);
    expect(fixture.tenant.requestLog.summary().byStatus['429']).toBeGreaterThan(0);
  }, 90_000);

  it('with the default Free-plan budget, a no-op deploy against a Free-plan tenant meets no 429 at all', async () => {
    fixture.tenant.rateLimiter.configure('free');
    fixture.tenant.requestLog.clear();
    const outcome = await deploy(fixture.tenant, workspace, { budget: freeTenantBudget });
    expect(outcome.plan.changes).toEqual([]);
    expect(fixture.tenant.requestLog.summary().byStatus['429']).toBeUndefined();
  }, 60_000);

  it('injected 5xx answers and dropped connections do not stop a deploy', async () => {
    const { management } = fixture;
    // Something to do: hand-made drift on three resources.
    const spa = (await management.clients.list({ per_page: 100 })).data.find(
      (c) => c.name === 'Banking SPA',
    );
    await management.clients.update(spa?.client_id as string, { web_origins: [] });
    await management.resourceServers.update('https://my-banking-api', { token_lifetime: 60 });
    await management.guardian.factors.set('otp', { enabled: false });
    fixture.tenant.faults.add({ path: '^/api/v2/', status: 503, probability: 0.5, times: 4 });
    fixture.tenant.faults.add({ path: '^/api/v2/', drop: true, probability: 0.5, times: 3 });
    fixture.tenant.faults.add({ path: '^/oauth/token', status: 500, times: 1 });
    const outcome = await deploy(fixture.tenant, workspace);
    expect(outcome.result.verified).toBe(true);
    expect(outcome.stats.retries).toBeGreaterThan(0);
    fixture.tenant.faults.clear();
    expect(hasChanges((await plan(fixture.tenant, workspace)).plan)).toBe(false);
  }, 60_000);
});

describe('crash mid-apply', () => {
  it('a deploy killed half-way leaves a tenant the next deploy completes', async () => {
    const { tenant } = fixture;
    // A fresh part of the tenant to create: rename the three clients so the whole chain must be created again.
    workspace.edit((yaml) =>
      yaml
        .replaceAll('Banking SPA', 'Banking SPA v2')
        .replaceAll('Banking Partner', 'Banking Partner v2')
        .replaceAll('Banking API Resource Server', 'Banking API RS v2'),
    );
    const envFile = join(workspace.dir, 'tenant', 'env', 'local.json');
    const envOriginal = readFileSync(envFile, 'utf8');
    // 5 requests per second (the Free plan allows 2): slow enough to be killed between writes, quick to get there.
    const env = JSON.parse(envOriginal.replaceAll('Banking SPA', 'Banking SPA v2')) as {
      deploy: { rateLimit: { perSecond: number; burst: number } };
    };
    env.deploy.rateLimit = { perSecond: 5, burst: 2 };
    writeFileSync(envFile, JSON.stringify(env));
    try {
      tenant.requestLog.clear();
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          'scripts/deploy.ts',
          '--env',
          'local',
          '--file',
          workspace.tenantFile,
          '--yes',
        ],
        {
          env: childEnv(tenant, workspace),
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      let running = true;
      const exited = new Promise<void>((resolve) =>
        child.on('exit', () => {
          running = false;
          resolve();
        }),
      );
      // Kill the child after its fourth write.
      const deadline = Date.now() + 45_000;
      while (running && tenant.requestLog.summary().writes < 4 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      child.kill('SIGKILL');
      await exited;
      const writesBeforeKill = tenant.requestLog.summary().writes;
      expect(writesBeforeKill, stderr).toBeGreaterThanOrEqual(4);
      const halfway = await plan(tenant, workspace);
      expect(hasChanges(halfway.plan)).toBe(true);

      const rerun = await deploy(tenant, workspace);
      expect(rerun.result.verified).toBe(true);
      // Nothing was created twice.
      const names = tenant.store.snapshot.clients.map((c) => c.name);
      expect(names.filter((n) => n === 'Banking SPA v2')).toHaveLength(1);
      expect(names.filter((n) => n === 'Banking Partner v2')).toHaveLength(1);
      // Converged: nothing left to change (the old names remain as held-back deletes, by design).
      expect((await plan(tenant, workspace)).plan.changes).toEqual([]);
    } finally {
      workspace.restore();
      writeFileSync(envFile, envOriginal);
    }
  }, 90_000);
});
