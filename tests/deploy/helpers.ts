// Shared set-up of the deploy suites: a private copy of tenant/ (so a test may edit it), freshly bundled Actions,
// a key pair generated at run time, and the deploy pointed at the in-process local tenant.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleActions } from '../../actions/bundle.js';
import { createKeys } from '../../deploy/keys.js';
import {
  applyPrepared,
  prepare,
  type DeployOutcome,
  type Prepared,
  type RunOptions,
} from '../../deploy/run.js';
import { localTenantTarget, type Target } from '../../deploy/target/target.js';
import type { LocalTenant } from '../../local-tenant/index.js';

export interface Workspace {
  dir: string;
  tenantFile: string;
  keysDir: string;
  edit(replace: (yaml: string) => string): void;
  restore(): void;
}

export async function createWorkspace(): Promise<Workspace> {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-test-'));
  cpSync('tenant', join(dir, 'tenant'), { recursive: true });
  await bundleActions({ outDir: join(dir, 'dist', 'actions') });
  const keysDir = join(dir, 'keys');
  createKeys(keysDir);
  const tenantFile = join(dir, 'tenant', 'tenant.yaml');
  const original = readFileSync(tenantFile, 'utf8');
  return {
    dir,
    tenantFile,
    keysDir,
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

/** Fast enough for tests; the Free-plan budget has its own test. */
export const testBudget = { perSecond: 500, burst: 50 };

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
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** tenant.yaml without the partner client and its grant (to exercise deletes). */
export function withoutPartner(yaml: string): string {
  return yaml
    .replace(/ {2}# Seed 004[\s\S]*?jwt_configuration: \{ alg: RS256 \}\n/, '')
    .replace(
      / {2}- client_id: Banking Partner\n {4}audience: https:\/\/my-banking-api\n {4}scope: \[view:balance\]\n/,
      '',
    );
}
