// Deploy against an in-process local tenant over real HTTPS: first deploy, no-op, one-field change, Action change,
// hand-made drift, deletes only with --allow-delete.
import { beforeAll, describe, expect, it } from 'vitest';
import { hasChanges } from '../../deploy/plan/plan.js';
import { useLocalTenant } from '../helpers/local-tenant.js';
import {
  createWorkspace,
  deploy,
  plan,
  withoutPartner,
  writesIn,
  type Workspace,
} from './helpers.js';

const fixture = useLocalTenant();
let workspace: Workspace;

beforeAll(async () => {
  workspace = await createWorkspace();
});

describe('deploy', () => {
  it('first deploy creates everything, in dependency order, and verifies', async () => {
    const outcome = await deploy(fixture.tenant, workspace);
    expect(outcome.result.verified).toBe(true);
    const created = outcome.plan.changes
      .filter((c) => c.action === 'create')
      .map((c) => `${c.type}:${c.key}`);
    expect(created).toEqual(
      expect.arrayContaining([
        'resourceServers:https://my-banking-api',
        'clients:Banking SPA',
        'clientGrants:Banking Partner -> https://my-banking-api',
        'actions:step-up-challenge',
        'databases:Banking-Users',
        'users:demo@example.com',
      ]),
    );
    const { management } = fixture;
    const spa = (await management.clients.list({ per_page: 100 })).data.find(
      (c) => c.name === 'Banking SPA',
    );
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

describe('changes', () => {
  it('a one-field change is exactly one PATCH', async () => {
    workspace.edit((yaml) =>
      yaml.replace('    token_lifetime: 3600\n', '    token_lifetime: 7200\n'),
    );
    try {
      const preview = await plan(fixture.tenant, workspace);
      expect(preview.plan.changes).toEqual([
        expect.objectContaining({
          type: 'resourceServers',
          action: 'update',
          fields: [{ path: 'token_lifetime', before: 3600, after: 7200 }],
        }),
      ]);
      fixture.tenant.requestLog.clear();
      const outcome = await deploy(fixture.tenant, workspace);
      expect(outcome.result.verified).toBe(true);
      // The one managed write, then the checkpoint on the deploy client (never a managed resource).
      expect(writesIn(fixture.tenant).map((w) => `${w.method} ${w.path} ${w.status}`)).toEqual([
        expect.stringMatching(/^PATCH \/api\/v2\/resource-servers\/\S+ 200$/),
        `PATCH /api/v2/clients/${fixture.tenant.bootstrap.clientId} 200`,
      ]);
    } finally {
      workspace.restore();
    }
    await deploy(fixture.tenant, workspace);
  });

  it('an Action code change deploys exactly one new version of that Action only', async () => {
    const { management } = fixture;
    const actions = (await management.actions.list({})).data;
    const challenge = actions.find((a) => a.name === 'step-up-challenge');
    const evidence = actions.find((a) => a.name === 'step-up-evidence');
    const versionsBefore = (await management.actions.versions.list(challenge?.id as string)).data
      .length;
    const evidenceVersionsBefore = (await management.actions.versions.list(evidence?.id as string))
      .data.length;
    const bundle = `${workspace.dir}/dist/actions/step-up-challenge.js`;
    const { appendFileSync } = await import('node:fs');
    appendFileSync(bundle, '\n// a change in the bundle\n');
    fixture.tenant.requestLog.clear();
    const outcome = await deploy(fixture.tenant, workspace);
    expect(
      outcome.plan.changes.map(
        (c) => `${c.type}:${c.key}:${c.fields.map((f) => f.path).join(',')}`,
      ),
    ).toEqual(['actions:step-up-challenge:code']);
    expect(outcome.result.verified).toBe(true);
    const writes = writesIn(fixture.tenant).map((w) => `${w.method} ${w.path}`);
    expect(writes).toEqual([
      `PATCH /api/v2/actions/actions/${challenge?.id}`,
      `POST /api/v2/actions/actions/${challenge?.id}/deploy`,
      `PATCH /api/v2/clients/${fixture.tenant.bootstrap.clientId}`,
    ]);
    expect((await management.actions.versions.list(challenge?.id as string)).data.length).toBe(
      versionsBefore + 1,
    );
    expect((await management.actions.versions.list(evidence?.id as string)).data.length).toBe(
      evidenceVersionsBefore,
    );
  });

  it('a change made by hand is detected (diff has changes) and reverted by deploy', async () => {
    const { management } = fixture;
    const spa = (await management.clients.list({ per_page: 100 })).data.find(
      (c) => c.name === 'Banking SPA',
    );
    await management.clients.update(spa?.client_id as string, {
      callbacks: ['https://evil.example/callback'],
    });
    const drift = await plan(fixture.tenant, workspace);
    expect(hasChanges(drift.plan)).toBe(true);
    expect(drift.plan.changes).toEqual([
      expect.objectContaining({
        type: 'clients',
        key: 'Banking SPA',
        action: 'update',
        fields: [
          {
            path: 'callbacks',
            before: ['https://evil.example/callback'],
            after: ['http://127.0.0.1:3000', 'http://127.0.0.1:3000/callback'],
          },
        ],
      }),
    ]);
    const outcome = await deploy(fixture.tenant, workspace);
    expect(outcome.result.verified).toBe(true);
    const after = await management.clients.get(spa?.client_id as string);
    expect(after.callbacks).toEqual(['http://127.0.0.1:3000', 'http://127.0.0.1:3000/callback']);
    expect(hasChanges((await plan(fixture.tenant, workspace)).plan)).toBe(false);
  });

  it('fills STEP_UP_CLIENT_IDS with the ID the tenant gave the SPA', async () => {
    const { tenant, management } = fixture;
    const spa = (await management.clients.list({ per_page: 100 })).data.find(
      (c) => c.name === 'Banking SPA',
    );
    const record = tenant.store.snapshot.actions.find((a) => a.name === 'step-up-challenge');
    expect(record?.secrets.find((s) => s.name === 'STEP_UP_CLIENT_IDS')?.value).toBe(
      spa?.client_id,
    );
  });
});

describe('deletes', () => {
  it('removing a client from the config deletes nothing without --allow-delete, then deletes only it (and its grant) with it', async () => {
    const { management } = fixture;
    const handMade = await management.clients.create({ name: 'Hand made app', app_type: 'spa' });
    workspace.edit(withoutPartner);
    try {
      fixture.tenant.requestLog.clear();
      const held = await deploy(fixture.tenant, workspace);
      expect(held.plan.changes).toEqual([]);
      expect(held.plan.pendingDeletes.map((d) => `${d.type}:${d.key}`)).toEqual([
        'clients:Banking Partner',
        'clientGrants:Banking Partner -> https://my-banking-api',
      ]);
      expect(writesIn(fixture.tenant)).toEqual([]);

      const allowed = await deploy(fixture.tenant, workspace, { allowDelete: true });
      expect(allowed.plan.changes.map((c) => `${c.action} ${c.type}:${c.key}`)).toEqual([
        'delete clientGrants:Banking Partner -> https://my-banking-api',
        'delete clients:Banking Partner',
      ]);
      const names = (await management.clients.list({ per_page: 100 })).data.map((c) => c.name);
      expect(names).not.toContain('Banking Partner');
      expect(names).toContain('Hand made app');
      expect(names).toContain('Banking SPA');
    } finally {
      workspace.restore();
      await management.clients.delete(handMade.client_id as string);
    }
    const recreated = await deploy(fixture.tenant, workspace);
    expect(recreated.plan.changes.map((c) => `${c.action} ${c.key}`)).toEqual([
      'create Banking Partner',
      'create Banking Partner -> https://my-banking-api',
    ]);
  });
});

describe('removing an Action', () => {
  // A third post-login Action (the step-up pair must stay bound in order: the config refuses otherwise).
  const withAudit = (yaml: string): string =>
    yaml
      .replace(
        /\ntriggers:/,
        '  - name: audit-login\n    code: ../dist/actions/step-up-evidence.js\n    runtime: node22\n' +
          '    deployed: true\n    supported_triggers: [{ id: post-login, version: v3 }]\n\ntriggers:',
      )
      .replace(
        / {4}- \{ action_name: step-up-evidence, display_name: step-up-evidence \}\n/,
        '$&    - { action_name: audit-login, display_name: audit-login }\n',
      );
  const names = async () =>
    (await fixture.management.actions.triggers.bindings.list('post-login')).data.map(
      (b) => b.action?.name,
    );

  it('unbinds it, then deletes it — only with --allow-delete', async () => {
    const { management } = fixture;
    workspace.edit(withAudit);
    try {
      expect((await deploy(fixture.tenant, workspace)).result.verified).toBe(true);
      expect(await names()).toEqual(['step-up-challenge', 'step-up-evidence', 'audit-login']);
    } finally {
      workspace.restore();
    }
    const held = await deploy(fixture.tenant, workspace);
    // The binding goes (the trigger lists only the step-up pair now); the Action itself is held back.
    expect(held.plan.changes.map((c) => `${c.action} ${c.type}:${c.key}`)).toEqual([
      'update triggers:post-login',
    ]);
    expect(held.plan.pendingDeletes.map((d) => d.key)).toEqual(['audit-login']);
    expect((await management.actions.list({})).data.map((a) => a.name)).toContain('audit-login');

    // Bind it again by hand: the plan rewrites the bindings before it deletes the Action (no 409 as in terraform #64).
    const bound = (await management.actions.triggers.bindings.list('post-login')).data;
    await management.actions.triggers.bindings.updateMany('post-login', {
      bindings: [
        ...bound.map((b) => ({
          ref: { type: 'action_id' as const, value: b.action?.id as string },
        })),
        { ref: { type: 'action_name', value: 'audit-login' } },
      ],
    });
    const deleted = await deploy(fixture.tenant, workspace, { allowDelete: true });
    expect(deleted.plan.changes.map((c) => `${c.action} ${c.type}:${c.key}`)).toEqual([
      'update triggers:post-login',
      'delete actions:audit-login',
    ]);
    expect(deleted.result.verified).toBe(true);
    expect((await management.actions.list({})).data.map((a) => a.name)).not.toContain(
      'audit-login',
    );
    expect(await names()).toEqual(['step-up-challenge', 'step-up-evidence']);
  });
});

describe('resource server key rotation', () => {
  it('keys --rotate keeps the current key published until a deploy publishes the next one, then promotes it', async () => {
    const { existsSync, readFileSync } = await import('node:fs');
    const { rotateKeys, keyPaths } = await import('../../deploy/keys.js');
    const paths = keyPaths(workspace.keysDir);
    const currentPublic = readFileSync(paths.publicKey, 'utf8');
    rotateKeys(workspace.keysDir);
    const nextPublic = readFileSync(paths.nextPublicKey, 'utf8');
    expect(nextPublic).not.toBe(currentPublic);
    const liveKey = async () =>
      (
        (await fixture.management.resourceServers.get('https://my-banking-api')) as Record<
          string,
          unknown
        >
      ).verificationKey;
    expect(await liveKey()).toBe(currentPublic);

    const preview = await plan(fixture.tenant, workspace);
    expect(preview.plan.changes.map((c) => c.fields.map((f) => f.path).join())).toEqual([
      'verificationKey',
    ]);
    expect(existsSync(paths.nextPrivateKey)).toBe(true); // a plan alone promotes nothing

    const outcome = await deploy(fixture.tenant, workspace);
    expect(outcome.result.verified).toBe(true);
    expect(await liveKey()).toBe(nextPublic);
    expect(existsSync(paths.nextPrivateKey)).toBe(false);
    expect(readFileSync(paths.publicKey, 'utf8')).toBe(nextPublic);
    expect((await plan(fixture.tenant, workspace)).plan.changes).toEqual([]);
  });
});
