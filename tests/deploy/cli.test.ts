// The commands as users run them: `npm run diff` exit codes (0 / 2 / 1) and output formats, `npm run deploy`
// refusing a deleting plan without --yes when no TTY can confirm, and target errors before any request.
import { beforeAll, describe, expect, it } from 'vitest';
import { useLocalTenant } from '../helpers/local-tenant.js';
import { createWorkspace, deploy, runScript, withoutPartner, type Workspace } from './helpers.js';

const fixture = useLocalTenant();
let workspace: Workspace;

beforeAll(async () => {
  workspace = await createWorkspace();
});

function run(
  script: string,
  args: string[],
  extraEnv: Record<string, string | undefined> = {},
): ReturnType<typeof runScript> {
  return runScript(fixture.tenant, workspace, script, args, extraEnv);
}

describe('npm run diff', () => {
  it('exits 2 with a field-level plan when the tenant differs, 0 when it matches', async () => {
    const before = await run('scripts/diff.ts', ['--format', 'json']);
    expect(before.code, before.stderr).toBe(2);
    const plan = JSON.parse(before.stdout) as {
      schemaVersion: number;
      target: { domain: string; env: string };
      summary: { create: number; changed: boolean };
      changes: { action: string; fields: { path: string; after: unknown }[] }[];
    };
    expect(plan.schemaVersion).toBe(1);
    expect(plan.target).toMatchObject({ domain: fixture.tenant.domain, env: 'local' });
    expect(plan.summary.changed).toBe(true);
    expect(plan.summary.create).toBeGreaterThan(5);
    // The demo password is in the plan as a masked field, never as its value.
    expect(before.stdout).not.toContain('Demo-Passw0rd!local');
    expect(before.stdout).toContain('"(sensitive)"');

    await deploy(fixture.tenant, workspace);
    const after = await run('scripts/diff.ts', []);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toContain(`Plan for tenant ${fixture.tenant.domain} (env: local)`);
    expect(after.stdout).toContain('No changes.');
  }, 60_000);

  it('renders markdown for a PR comment: summary line and one <details> per resource', async () => {
    await fixture.management.resourceServers.update('https://my-banking-api', {
      token_lifetime: 10,
    });
    const result = await run('scripts/diff.ts', ['--format', 'markdown']);
    expect(result.code, result.stderr).toBe(2);
    // The tenant checks lead the comment, then the plan.
    expect(result.stdout.split('\n')[0]).toBe('### Tenant checks (local): 0 errors, 0 warnings');
    expect(result.stdout.split('\n')).toContain(
      `**Tenant plan for \`${fixture.tenant.domain}\` (env \`local\`): 0 to create, 1 to update, 0 to delete.**`,
    );
    expect(result.stdout).toContain(
      '<details><summary><code>~</code> update resourceServers <b>https://my-banking-api</b> (1 field)</summary>',
    );
    expect(result.stdout).toContain('| `token_lifetime` | <code>10</code> | <code>3600</code> |');
    await deploy(fixture.tenant, workspace);
  }, 60_000);

  it('exits 1 with a clear message for a bad flag or a partial target, before any request', async () => {
    fixture.tenant.requestLog.clear();
    const badFormat = await run('scripts/diff.ts', ['--format', 'html']);
    expect(badFormat.code).toBe(1);
    expect(badFormat.stderr).toContain('--format must be text, markdown or json');
    const partial = await run('scripts/diff.ts', ['--env', 'prod'], { AUTH0_CLIENT_SECRET: '' });
    expect(partial.code).toBe(1);
    expect(partial.stderr).toContain('partial tenant configuration');
    expect(partial.stderr).not.toMatch(/\n\s+at /);
    expect(fixture.tenant.requestLog.entries()).toEqual([]);
  }, 60_000);
});

describe('npm run deploy', () => {
  it('refuses before any request when a tenant check finds an error, and shows the finding', async () => {
    workspace.edit((yaml) =>
      yaml.replace('scope: [view:balance]', 'scope: [view:balance, transfer:funds]'),
    );
    try {
      fixture.tenant.requestLog.clear();
      const refused = await run('scripts/deploy.ts', []);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toMatch(/error step-up\.no-m2m-transfer \S+tenant\.yaml:\d+/);
      expect(refused.stderr).toContain(
        'Tenant checks found 1 error(s) — nothing was sent to the tenant.',
      );
      expect(fixture.tenant.requestLog.summary().total).toBe(0);
    } finally {
      workspace.restore();
    }
  }, 60_000);

  it('refuses a deleting plan without --yes when there is no TTY to confirm, and changes nothing', async () => {
    workspace.edit(withoutPartner);
    try {
      fixture.tenant.requestLog.clear();
      const refused = await run('scripts/deploy.ts', ['--allow-delete']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('pass --yes to confirm');
      expect(fixture.tenant.requestLog.summary().writes).toBe(0);
    } finally {
      workspace.restore();
    }
  }, 60_000);
});
