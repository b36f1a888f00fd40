// The fast no-op path over real HTTPS: after a verified deploy the deploy client carries a checkpoint; the next run
// reads it and the tenant logs since (3 requests with the token) and plans "no changes". Any logged change, a config
// change, --refresh, missing read:logs or an old checkpoint → the full read, with the reason in the progress output.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkCheckpoint,
  checkpointMetadataKey,
  desiredStateHash,
  parseCheckpoint,
} from '../../deploy/plan/checkpoint.js';
import { latestLogId, onlyOwnWritesBetween } from '../../deploy/plan/tenant-logs.js';
import { managementScopes } from '../../local-tenant/management/scopes.js';
import { useLocalTenant } from '../helpers/local-tenant.js';
import {
  createWorkspace,
  deploy,
  plan,
  runOptions,
  runScript,
  targetOf,
  writesIn,
  type Workspace,
} from './helpers.js';

const fixture = useLocalTenant();
let workspace: Workspace;

beforeAll(async () => {
  workspace = await createWorkspace();
});

function requests(): string[] {
  return fixture.tenant.requestLog.entries().map((entry) => `${entry.method} ${entry.path}`);
}

async function checkpointValue(
  clientId = fixture.tenant.bootstrap.clientId,
): Promise<string | undefined> {
  const client = await fixture.management.clients.get(clientId);
  return (client.client_metadata as Record<string, string> | undefined)?.[checkpointMetadataKey];
}

function collect(): { lines: string[]; log: (line: string) => void } {
  const lines: string[] = [];
  return { lines, log: (line) => lines.push(line) };
}

describe('fast no-op path', () => {
  it('a first deploy leaves a checkpoint; the second deploy is 3 requests (token, deploy client, logs) and 0 writes', async () => {
    // Existing client_metadata on the deploy client is kept (merged, not replaced).
    await fixture.management.clients.update(fixture.tenant.bootstrap.clientId, {
      client_metadata: { owner: 'platform-team' },
    });
    const first = await deploy(fixture.tenant, workspace);
    expect(first.result.verified).toBe(true);
    expect(first.checkpointWritten).toBeDefined();
    const client = await fixture.management.clients.get(fixture.tenant.bootstrap.clientId);
    expect(client.client_metadata).toMatchObject({
      owner: 'platform-team',
      [checkpointMetadataKey]: expect.stringMatching(/^v1 h=/),
    });

    fixture.tenant.requestLog.clear();
    const progress = collect();
    const second = await deploy(fixture.tenant, workspace, { log: progress.log });
    expect(requests()).toEqual([
      'POST /oauth/token',
      `GET /api/v2/clients/${fixture.tenant.bootstrap.clientId}`,
      'GET /api/v2/logs',
    ]);
    expect(writesIn(fixture.tenant)).toEqual([]);
    expect(second.plan.changes).toEqual([]);
    expect(second.plan.basis).toMatchObject({
      kind: 'checkpoint',
      sinceLogId: first.checkpointWritten?.logId,
    });
    expect(progress.lines.join('\n')).toMatch(
      /checkpoint of \S+ holds: no tenant log entry since \d+ changes state/,
    );
  });

  it('the checkpoint holds a keyed hash, a log id and a time — never a secret', async () => {
    const value = (await checkpointValue()) as string;
    expect(value.length).toBeLessThanOrEqual(255);
    expect(value).toMatch(/^v1 h=[A-Za-z0-9_-]{43} l=\d{56} t=\d{4}-\d\d-\d\dT\S+Z$/);
    expect(parseCheckpoint(value)).toBeDefined();
    const { desired, verificationKey } = await plan(fixture.tenant, workspace);
    const secrets = [
      fixture.tenant.bootstrap.clientSecret,
      ...desired.deploy.users.map((user) => user.password),
      ...(desired.sections.actions ?? []).flatMap((action) =>
        action.secrets.map((secret) => secret.value),
      ),
    ];
    for (const secret of secrets.filter((s) => s.length > 3)) expect(value).not.toContain(secret);
    // Keyed by the deploy credential: the same desired state under another credential hashes differently.
    const hash = parseCheckpoint(value)?.hash;
    expect(
      desiredStateHash(desired, verificationKey.publicPem, fixture.tenant.bootstrap.clientSecret),
    ).toBe(hash);
    expect(desiredStateHash(desired, verificationKey.publicPem, 'another credential')).not.toBe(
      hash,
    );
  });

  it('a failed write in the logs (fapi) changes nothing: still the fast path', async () => {
    const spa = (await fixture.management.clients.list({ per_page: 100 })).data.find(
      (c) => c.name === 'Banking SPA',
    );
    await expect(
      fixture.management.clients.update(spa?.client_id as string, {
        app_type: 'not-a-type' as never,
      }),
    ).rejects.toMatchObject({ statusCode: 400 });
    const prepared = await plan(fixture.tenant, workspace);
    expect(prepared.plan.basis?.kind).toBe('checkpoint');
  });

  it('a change made by hand after the checkpoint: diff exits 2 (the log entry forces the full read), deploy reverts it', async () => {
    const spa = (await fixture.management.clients.list({ per_page: 100 })).data.find(
      (c) => c.name === 'Banking SPA',
    );
    await fixture.management.clients.update(spa?.client_id as string, {
      callbacks: ['https://evil.example/callback'],
    });

    const diff = await runScript(fixture.tenant, workspace, 'scripts/diff.ts', []);
    expect(diff.code, diff.stderr).toBe(2);
    expect(diff.stderr).toContain(
      `reading the whole tenant: 1 tenant log entry since the verified deploy may have changed it (first: sapi PATCH /api/v2/clients/${spa?.client_id})`,
    );
    expect(diff.stdout).toContain('https://evil.example/callback');

    fixture.tenant.requestLog.clear();
    const outcome = await deploy(fixture.tenant, workspace);
    expect(outcome.result.verified).toBe(true);
    expect(writesIn(fixture.tenant).map((w) => `${w.method} ${w.path}`)).toEqual([
      `PATCH /api/v2/clients/${spa?.client_id}`,
      `PATCH /api/v2/clients/${fixture.tenant.bootstrap.clientId}`,
    ]);
    expect((await fixture.management.clients.get(spa?.client_id as string)).callbacks).toEqual([
      'http://127.0.0.1:3000',
      'http://127.0.0.1:3000/callback',
    ]);

    fixture.tenant.requestLog.clear();
    await deploy(fixture.tenant, workspace);
    expect(requests()).toHaveLength(3);
  }, 60_000);

  it('a config change reads the whole tenant', async () => {
    workspace.edit((yaml) =>
      yaml.replace('    token_lifetime: 3600\n', '    token_lifetime: 7200\n'),
    );
    try {
      const progress = collect();
      fixture.tenant.requestLog.clear();
      const preview = await plan(fixture.tenant, workspace, { log: progress.log });
      expect(preview.plan.basis).toBeUndefined();
      expect(
        preview.plan.changes.map((c) => `${c.type}:${c.fields.map((f) => f.path).join(',')}`),
      ).toEqual(['resourceServers:token_lifetime']);
      expect(progress.lines).toContain(
        'reading the whole tenant: the configuration changed since the verified deploy',
      );
      expect(fixture.tenant.requestLog.summary().reads).toBeGreaterThan(9);
    } finally {
      workspace.restore();
    }
  });

  it('after an apply, only its own writes in the logs since the plan read → only the changed types are re-read', async () => {
    workspace.edit((yaml) =>
      yaml.replace('    token_lifetime: 3600\n', '    token_lifetime: 7200\n'),
    );
    try {
      const progress = collect();
      fixture.tenant.requestLog.clear();
      const outcome = await deploy(fixture.tenant, workspace, { log: progress.log });
      expect(outcome.result.verified).toBe(true);
      expect(outcome.checkpointWritten).toBeDefined();
      expect(progress.lines).toContain('verifying resourceServers');
    } finally {
      workspace.restore();
    }
    await deploy(fixture.tenant, workspace);
  });

  it('a write by anyone else between the plan read and the verification means re-reading every type', async () => {
    const { management, tenant } = fixture;
    const context = { mgmt: management, deployClientId: tenant.bootstrap.clientId };
    const spa = (await management.clients.list({ per_page: 100 })).data.find(
      (c) => c.name === 'Banking SPA',
    );
    const before = (await latestLogId(context)) as string;
    await management.clients.update(spa?.client_id as string, { description: 'one of ours' });
    await management.guardian.factors.set('email', { enabled: false });
    const after = (await latestLogId(context)) as string;
    const ours = { method: 'PATCH', path: `/api/v2/clients/${spa?.client_id}` };
    expect(
      await onlyOwnWritesBetween(context, before, after, [
        ours,
        { method: 'PUT', path: '/api/v2/guardian/factors/email' },
      ]),
    ).toBe(true);
    expect(await onlyOwnWritesBetween(context, before, after, [ours])).toBe(false);
    expect(
      await onlyOwnWritesBetween({ ...context, deployClientId: 'another-client' }, before, after, [
        ours,
        { method: 'PUT', path: '/api/v2/guardian/factors/email' },
      ]),
    ).toBe(false);
    await deploy(fixture.tenant, workspace);
  });

  it('--refresh reads the whole tenant and, the checkpoint still holding, writes nothing', async () => {
    const before = await checkpointValue();
    const progress = collect();
    fixture.tenant.requestLog.clear();
    const outcome = await deploy(fixture.tenant, workspace, { refresh: true, log: progress.log });
    expect(outcome.plan.basis).toBeUndefined();
    expect(outcome.plan.changes).toEqual([]);
    expect(progress.lines).toContain('reading the whole tenant: --refresh');
    expect(fixture.tenant.requestLog.summary().reads).toBeGreaterThan(9);
    expect(writesIn(fixture.tenant)).toEqual([]);
    expect(await checkpointValue()).toBe(before);
  });

  it('diff never writes the checkpoint, even when there is none', async () => {
    const metadata = (await fixture.management.clients.get(fixture.tenant.bootstrap.clientId))
      .client_metadata as Record<string, string>;
    await fixture.management.clients.update(fixture.tenant.bootstrap.clientId, {
      client_metadata: { ...metadata, [checkpointMetadataKey]: null } as never,
    });
    fixture.tenant.requestLog.clear();
    const progress = collect();
    const preview = await plan(fixture.tenant, workspace, {
      mayWriteCheckpoint: false,
      log: progress.log,
    });
    expect(preview.plan.changes).toEqual([]);
    expect(progress.lines).toContain(
      'reading the whole tenant: no checkpoint of a verified deploy on this tenant yet',
    );
    expect(writesIn(fixture.tenant)).toEqual([]);
    expect(requests()).not.toContain('GET /api/v2/logs');
    // A no-op deploy then writes it: the only write a no-change deploy can make, on the deploy client only.
    fixture.tenant.requestLog.clear();
    const outcome = await deploy(fixture.tenant, workspace);
    expect(outcome.checkpointWritten).toBeDefined();
    expect(writesIn(fixture.tenant).map((w) => `${w.method} ${w.path}`)).toEqual([
      `PATCH /api/v2/clients/${fixture.tenant.bootstrap.clientId}`,
    ]);
  });

  it('a checkpoint older than 24 h is not trusted', async () => {
    const { desired, verificationKey } = await plan(fixture.tenant, workspace);
    const hash = desiredStateHash(
      desired,
      verificationKey.publicPem,
      fixture.tenant.bootstrap.clientSecret,
    );
    const context = { mgmt: fixture.management, deployClientId: fixture.tenant.bootstrap.clientId };
    expect((await checkCheckpoint(context, hash, { refresh: false })).check.usable).toBe(true);
    const later = await checkCheckpoint(context, hash, {
      refresh: false,
      now: Date.now() + 25 * 60 * 60 * 1000,
    });
    expect(later.check).toMatchObject({
      usable: false,
      reason: expect.stringMatching(/older than 24 h$/),
    });
  });

  it('a deploy client without read:logs falls back to the full read and says why', async () => {
    const { management, tenant } = fixture;
    const limited = await management.clients.create({
      name: 'Deploy without logs',
      app_type: 'non_interactive',
      grant_types: ['client_credentials'],
    });
    await management.clientGrants.create({
      client_id: limited.client_id as string,
      audience: tenant.context.managementAudience,
      scope: managementScopes.filter((scope) => scope !== 'read:logs'),
    });
    const target = {
      ...targetOf(tenant),
      clientId: limited.client_id as string,
      clientSecret: limited.client_secret as string,
    };

    const first = collect();
    fixture.tenant.requestLog.clear();
    const outcome = await deploy(tenant, workspace, { target, log: first.log });
    expect(outcome.result.verified).toBe(true);
    expect(first.lines).toContain(
      'no checkpoint will be written: tenant logs unreadable (HTTP 403: the deploy client needs the read:logs scope)',
    );
    // The only write: this configuration's first release record, on the deploy client itself (it had none).
    expect(writesIn(tenant).map((write) => `${write.method} ${write.path}`)).toEqual([
      `PATCH /api/v2/clients/${limited.client_id}`,
    ]);
    expect(outcome.release).toMatchObject({ number: 1, summary: { create: 0, update: 0 } });
    fixture.tenant.requestLog.clear();
    await deploy(tenant, workspace, { target });
    expect(writesIn(tenant)).toEqual([]);

    // Even with a valid checkpoint on it, unreadable logs mean the full read.
    const { desired, verificationKey } = await plan(tenant, workspace, { target });
    const hash = desiredStateHash(desired, verificationKey.publicPem, target.clientSecret);
    const latest = (await management.logs.list({ per_page: 1, sort: 'date:-1' })).data[0]
      ?.log_id as string;
    await management.clients.update(target.clientId, {
      client_metadata: {
        [checkpointMetadataKey]: `v1 h=${hash} l=${latest} t=${new Date().toISOString()}`,
      },
    });
    const second = collect();
    const preview = await plan(tenant, workspace, {
      ...runOptions(tenant, workspace),
      target,
      log: second.log,
    });
    expect(preview.plan.basis).toBeUndefined();
    expect(second.lines).toContain(
      'reading the whole tenant: tenant logs unreadable (HTTP 403: the deploy client needs the read:logs scope)',
    );
  });
});
