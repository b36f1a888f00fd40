// Releases and rollback over real HTTPS against an in-process local tenant, from a real git repository: deploy release
// A, deploy B (an Action's code and a client field), roll back, and the tenant equals A again — `diff` at A's commit
// with a full read plans nothing — with the Action back on A's code through the versions API, not a new build.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Management } from 'auth0';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChanges } from '../../deploy/plan/plan.js';
import { applyActionsOnly, planActionsOnly } from '../../deploy/releases/actions-only.js';
import { chooseRelease } from '../../deploy/releases/choose.js';
import type { ReleaseError } from '../../deploy/releases/errors.js';
import { readHistory } from '../../deploy/releases/history.js';
import { applyRollback, planRollback } from '../../deploy/releases/rollback.js';
import { readReleases } from '../../deploy/releases/store.js';
import { repositoryRoot, requireCommit, withWorktree } from '../../deploy/releases/worktree.js';
import { applyPrepared, prepare, type RunOptions } from '../../deploy/run.js';
import { localTenantTarget } from '../../deploy/target/target.js';
import { useLocalTenant } from '../helpers/local-tenant.js';
import { createGitRepository, type GitRepository } from './git-repository.js';

const fixture = useLocalTenant();
let repo: GitRepository;
let commitA: string;
let commitB: string;

beforeAll(async () => {
  repo = createGitRepository();
  commitA = repo.git('rev-parse', 'HEAD');
});
// A CLI child still running when its test timed out is killed with the file.
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const child of children) child.kill();
  repo.remove();
});

function options(extra: Partial<RunOptions> = {}): RunOptions {
  return {
    env: 'local',
    tenantFile: repo.tenantFile,
    keysDir: repo.keysDir,
    target: localTenantTarget(fixture.tenant),
    variables: {},
    build: false,
    budget: { perSecond: 500, burst: 50 },
    backoffBaseMs: 5,
    ...extra,
  };
}

async function deployHead() {
  await repo.build();
  const prepared = await prepare(options());
  try {
    return await applyPrepared(prepared, {});
  } finally {
    await prepared.close();
  }
}

const context = () => ({
  mgmt: fixture.management,
  deployClientId: fixture.tenant.bootstrap.clientId,
  progress: () => undefined,
});

async function releases() {
  const client = await fixture.management.clients.get(fixture.tenant.bootstrap.clientId);
  return readReleases((client.client_metadata ?? {}) as Record<string, string>);
}

async function challengeAction(): Promise<Management.GetActionResponseContent> {
  const listed = await fixture.management.actions.list({ actionName: 'step-up-challenge' });
  const id = listed.data[0]?.id;
  if (!id) throw new Error('step-up-challenge is not on the tenant');
  return fixture.management.actions.get(id);
}

const paths = () =>
  fixture.tenant.requestLog
    .entries('/api/v2/')
    .map((entry) => `${entry.method} ${entry.path.replace(/[0-9a-f-]{36}/g, ':id')}`);

describe('releases and rollback', () => {
  it('records a release per verified deploy: commit, state hash, plan counts and Action versions', async () => {
    const first = await deployHead();
    expect(first.result.verified).toBe(true);
    expect(first.release).toMatchObject({
      number: 1,
      commit: commitA,
      dirty: false,
      kind: 'deploy',
    });
    expect(first.release?.actions).toHaveLength(3);
    expect(first.release?.actions.every(({ version }) => version === 1)).toBe(true);

    // B: an Action's code and a client field.
    repo.edit(
      'actions/src/step-up-challenge.ts',
      'step-up-challenge: removed',
      'step-up-challenge (B): removed',
    );
    repo.edit(
      'tenant/tenant.yaml',
      'The banking single-page app',
      'The banking single-page app (B)',
    );
    commitB = repo.commit('release B');
    const second = await deployHead();
    expect(second.release).toMatchObject({
      number: 2,
      commit: commitB,
      summary: { create: 0, update: 2, delete: 0 },
    });
    expect((await challengeAction()).deployed_version?.number).toBe(2);

    // A no-op deploy records nothing and writes nothing.
    fixture.tenant.requestLog.clear();
    const again = await deployHead();
    expect(again.release).toBeUndefined();
    expect(paths().filter((path) => !path.startsWith('GET'))).toEqual([]);
    expect((await releases()).map((release) => release.number)).toEqual([2, 1]);

    const history = await readHistory(context());
    expect(history.current).toMatchObject({ kind: 'matches', release: { number: 2 } });

    // A tenant whose checkpoint holds but that has no release of this configuration (say, deployed before releases
    // existed) gets one from the next no-op deploy: the Actions read once, the record written once.
    const clientId = fixture.tenant.bootstrap.clientId;
    const { metadata } = history;
    const withoutReleases = Object.fromEntries(
      Object.entries(metadata).filter(([key]) => !key.startsWith('tenant_as_code_releases_')),
    );
    await fixture.management.clients.update(clientId, { client_metadata: withoutReleases });
    fixture.tenant.requestLog.clear();
    const baseline = await deployHead();
    expect(baseline.plan.basis?.kind).toBe('checkpoint');
    expect(baseline.release).toMatchObject({ number: 1, commit: commitB, summary: { update: 0 } });
    expect(paths()).toEqual([
      `GET /api/v2/clients/${clientId}`,
      expect.stringMatching(/^GET \/api\/v2\/logs/),
      'GET /api/v2/actions/actions',
      `PATCH /api/v2/clients/${clientId}`,
    ]);
    await fixture.management.clients.update(clientId, { client_metadata: metadata });
  });

  it("rolls back to the previous release: the tenant equals A again, the Action on A's code without a build", async () => {
    const target = chooseRelease(await releases(), undefined, 'tenant');
    expect(target.number).toBe(1);
    const versionOfA = (
      await fixture.management.actions.versions.list((await challengeAction()).id!)
    ).data.find((version) => version.number === 1);

    fixture.tenant.requestLog.clear();
    const outcome = await withWorktree(repo.dir, commitA, async (dir) => {
      const plan = await planRollback(options(), target, dir);
      try {
        expect(plan.prepared.plan.changes.map((c) => `${c.action} ${c.type} ${c.key}`)).toEqual([
          'update clients Banking SPA',
          'update actions step-up-challenge',
        ]);
        expect(plan.actions).toEqual([
          { name: 'step-up-challenge', recordedVersion: 1, how: 'version' },
        ]);
        return await applyRollback(plan, {});
      } finally {
        await plan.prepared.close();
      }
    });
    expect(outcome.result.verified).toBe(true);
    expect(outcome.release).toMatchObject({
      number: 3,
      kind: 'rollback',
      rollbackTo: 1,
      commit: commitA,
    });

    // Through the versions API: no draft upload, no build, no deploy of a draft.
    const writes = paths().filter((path) => !path.startsWith('GET'));
    expect(writes).toContain('POST /api/v2/actions/actions/:id/versions/:id/deploy');
    expect(writes.filter((path) => path.startsWith('PATCH /api/v2/actions/'))).toEqual([]);
    expect(writes).not.toContain('POST /api/v2/actions/actions/:id/deploy');

    // Auth0 deploys an identical copy of version 1, numbered 3 (its versions API never reuses a number).
    const action = await challengeAction();
    expect(action.deployed_version?.number).toBe(3);
    const deployed = await fixture.management.actions.versions.get(
      action.id!,
      action.deployed_version!.id!,
    );
    expect(deployed.code).toBe(versionOfA?.code);
    expect(outcome.release?.actions).toContainEqual(expect.objectContaining({ version: 3 }));

    // `diff` at A's commit, with a full read: nothing to change.
    repo.git('checkout', '-q', commitA);
    try {
      await repo.build();
      const diff = await prepare(options({ refresh: true, mayWriteCheckpoint: false }));
      await diff.close();
      expect(diff.plan.changes).toEqual([]);
      expect(hasChanges(diff.plan)).toBe(false);
    } finally {
      repo.git('checkout', '-q', 'main');
    }
    expect(repo.git('worktree', 'list').split('\n')).toHaveLength(1);
    const history = await readHistory(context());
    expect(history.current).toMatchObject({ kind: 'matches', release: { number: 3 } });
  });

  it('--actions-only redeploys only the recorded Action versions and is recorded; the tenant then reads as drifted', async () => {
    const all = await releases();
    const target = chooseRelease(all, '2', 'tenant');
    const metadata = (await fixture.management.clients.get(fixture.tenant.bootstrap.clientId))
      .client_metadata as Record<string, string>;
    fixture.tenant.requestLog.clear();
    const steps = await planActionsOnly(context(), target);
    expect(
      steps.filter((step) => step.versionId).map((step) => [step.name, step.from, step.to]),
    ).toEqual([['step-up-challenge', 3, 2]]);
    const outcome = await applyActionsOnly(context(), steps, target, { env: 'local', metadata });
    expect(outcome).toMatchObject({
      moved: 1,
      recorded: { number: 4, kind: 'actions-only', rollbackTo: 2 },
    });
    // 1 Action list, 1 versions list, 1 versions deploy, 1 PATCH of the deploy client.
    expect(paths()).toEqual([
      'GET /api/v2/actions/actions',
      'GET /api/v2/actions/actions/:id/versions',
      'POST /api/v2/actions/actions/:id/versions/:id/deploy',
      `PATCH /api/v2/clients/${fixture.tenant.bootstrap.clientId}`,
    ]);
    const action = await challengeAction();
    expect(action.deployed_version?.number).toBe(4);
    expect((await readHistory(context())).current.kind).toBe('drifted');
  });

  it('refuses clearly: unknown --to (usage), a commit the clone lacks, no releases', async () => {
    const all = await releases();
    expect(() => chooseRelease(all, '99', 'tenant')).toThrow(
      /--to 99: no such release.*#4, #3, #2, #1/,
    );
    expect(() => chooseRelease(all, '99', 'tenant')).toThrow(
      expect.objectContaining({ exitCode: 2 }) as ReleaseError,
    );
    expect(() => chooseRelease([], undefined, 'tenant')).toThrow(
      /no releases recorded on tenant yet/,
    );
    const outside = mkdtempSync(join(tmpdir(), 'not-a-checkout-'));
    try {
      expect(() => repositoryRoot(outside)).toThrow(
        /needs this repository's git history.*not a git checkout/,
      );
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
    const missing = 'f'.repeat(40);
    expect(() => requireCommit(repo.dir, missing, 'release #9')).toThrow(
      `release #9 was deployed from commit ${missing}, which this clone does not have. Fetch it first: git fetch origin ${missing}`,
    );
  });

  it('the CLI shows the plan and, without a terminal and without --yes, refuses with exit 2 and cleans up', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, '..', '..', 'scripts', 'rollback.ts'),
        '--to',
        '2',
      ],
      {
        cwd: repo.dir,
        env: {
          ...process.env,
          AUTH0_DOMAIN: fixture.tenant.domain,
          AUTH0_CLIENT_ID: fixture.tenant.bootstrap.clientId,
          AUTH0_CLIENT_SECRET: fixture.tenant.bootstrap.clientSecret,
          NO_COLOR: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.add(child);
    child.once('close', () => children.delete(child));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toContain('pass --yes');
    expect(code).toBe(2);
    expect(stdout).toContain('Rollback of');
    expect(stdout).toContain('~ update clients "Banking SPA"');
    // The Actions-only rollback already put step-up-challenge on B's code: only the client differs from B.
    expect(stdout).not.toContain('step-up-challenge');
    expect(repo.git('worktree', 'list').split('\n')).toHaveLength(1);
  }, 90_000);
});
