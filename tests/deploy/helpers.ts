// Shared set-up of the deploy suites: a private copy of tenant/ (so a test may edit it), freshly bundled Actions,
// a key pair generated at run time, and the deploy pointed at the in-process local tenant.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import {
  applyPrepared,
  prepare,
  type DeployOutcome,
  type Prepared,
  type RunOptions,
} from '../../deploy/run.js';
import { localTenantTarget, type Target } from '../../deploy/target/target.js';
import { createDeployWorkspace, type DeployWorkspace } from '../../deploy/workspace.js';
import type { LocalTenant } from '../../local-tenant/index.js';

export interface Workspace extends DeployWorkspace {
  edit(replace: (yaml: string) => string): void;
  restore(): void;
}

// What a test file makes through these helpers ends with that file (the hook belongs to the importing file): its
// workspaces are deleted, and a script child still running (its test timed out) is killed.
const created: DeployWorkspace[] = [];
const running = new Set<ChildProcess>();
afterAll(() => {
  for (const child of running) child.kill();
  for (const workspace of created.splice(0)) workspace.remove();
});

/** Fast enough for tests; the Free-plan budget has its own test. */
export const testBudget = { perSecond: 500, burst: 50 };

export async function createWorkspace(): Promise<Workspace> {
  const workspace = await createDeployWorkspace();
  created.push(workspace);
  const { tenantFile } = workspace;
  // Scripts run as child processes take their budget from the env file: the test budget there too, instead of
  // the Free plan's 2 requests per second (tests that need another budget set their own).
  const envFile = join(workspace.dir, 'tenant', 'env', 'local.json');
  const env = JSON.parse(readFileSync(envFile, 'utf8')) as { deploy: Record<string, unknown> };
  env.deploy.rateLimit = testBudget;
  writeFileSync(envFile, `${JSON.stringify(env, null, 2)}\n`);
  const original = readFileSync(tenantFile, 'utf8');
  return {
    ...workspace,
    edit: (replace) => {
      const before = readFileSync(tenantFile, 'utf8');
      const after = replace(before);
      if (after === before)
        throw new Error('edit() changed nothing: the test would not test anything');
      writeFileSync(tenantFile, after);
    },
    restore: () => writeFileSync(tenantFile, original),
  };
}

export function targetOf(tenant: LocalTenant): Target {
  return localTenantTarget(tenant);
}

export function runOptions(
  tenant: LocalTenant,
  workspace: Workspace,
  extra: Partial<RunOptions> = {},
): RunOptions {
  return {
    env: 'local',
    tenantFile: workspace.tenantFile,
    keysDir: workspace.keysDir,
    target: targetOf(tenant),
    variables: {},
    build: false,
    budget: testBudget,
    backoffBaseMs: 5,
    ...extra,
  };
}

export async function plan(
  tenant: LocalTenant,
  workspace: Workspace,
  extra: Partial<RunOptions> = {},
): Promise<Prepared> {
  const prepared = await prepare(runOptions(tenant, workspace, extra));
  await prepared.close();
  return prepared;
}

export async function deploy(
  tenant: LocalTenant,
  workspace: Workspace,
  extra: Partial<RunOptions> = {},
): Promise<DeployOutcome> {
  const prepared = await prepare(runOptions(tenant, workspace, extra));
  try {
    return await applyPrepared(prepared, { allowDelete: extra.allowDelete === true });
  } finally {
    await prepared.close();
  }
}

/** Management API writes the local tenant answered since the log was last cleared. */
export function writesIn(tenant: LocalTenant): { method: string; path: string; status: number }[] {
  return tenant.requestLog
    .entries('/api/v2/')
    .filter((entry) => entry.method !== 'GET' && entry.method !== 'HEAD');
}

/** Environment for running scripts/deploy.ts or diff.ts as a child process against the in-process tenant. */
export function childEnv(tenant: LocalTenant, workspace: Workspace): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AUTH0_DOMAIN: tenant.domain,
    AUTH0_CLIENT_ID: tenant.bootstrap.clientId,
    AUTH0_CLIENT_SECRET: tenant.bootstrap.clientSecret,
    RESOURCE_SERVER_PRIVATE_KEY: readFileSync(
      join(workspace.keysDir, 'resource-server.private.pem'),
      'utf8',
    ),
  };
}

/** Runs scripts/deploy.ts or diff.ts as a child process (as users do) against the in-process tenant. */
export function runScript(
  tenant: LocalTenant,
  workspace: Workspace,
  script: string,
  args: string[],
  extraEnv: Record<string, string | undefined> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', script, '--file', workspace.tenantFile, ...args],
    {
      env: { ...childEnv(tenant, workspace), NO_COLOR: '1', ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  running.add(child);
  child.once('close', () => running.delete(child));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** tenant.yaml without the partner client and its grant (to exercise deletes). */
export function withoutPartner(yaml: string): string {
  return yaml
    .replace(/ {2}# Partners:[\s\S]*?jwt_configuration: \{ alg: RS256 \}\n/, '')
    .replace(
      / {2}- client_id: Banking Partner\n {4}audience: https:\/\/my-banking-api\n {4}scope: \[view:balance\]\n/,
      '',
    );
}
