// `npm run export` round trip: export a deployed tenant, then `npm run diff` of the export against the same tenant
// exits 0. The export holds only managed sections and fields: no deploy client, no default database, no read-only
// fields, the domain as a keyword, Action secrets as keywords whose values come from the environment.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useLocalTenant } from '../helpers/local-tenant.js';
import {
  childEnv,
  createWorkspace,
  deploy,
  runScript,
  testBudget,
  type Workspace,
} from './helpers.js';

const fixture = useLocalTenant();
let workspace: Workspace;
const exportDir = mkdtempSync(join(tmpdir(), 'export-'));
afterAll(() => rmSync(exportDir, { recursive: true, force: true }));

beforeAll(async () => {
  workspace = await createWorkspace();
  await deploy(fixture.tenant, workspace);
}, 120_000);

function runExport(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/export.ts', ...args], {
    env: { ...childEnv(fixture.tenant, workspace), NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

describe('npm run export', () => {
  it('writes config that npm run diff against the same tenant accepts with exit 0', async () => {
    const out = join(exportDir, 'exported');
    const exported = await runExport(['--env', 'local', '--out', out]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toContain('ACTION_STEP_UP_CHALLENGE_STEP_UP_CLIENT_IDS');

    const yaml = readFileSync(join(out, 'tenant.yaml'), 'utf8');
    expect(existsSync(join(out, 'env', 'local.json'))).toBe(true);
    expect(existsSync(join(out, 'actions', 'step-up-challenge.js'))).toBe(true);
    const bootstrap = await fixture.management.clients.get(fixture.tenant.bootstrap.clientId);
    for (const absent of [
      bootstrap.name as string,
      fixture.tenant.bootstrap.clientId,
      fixture.tenant.domain,
      'Username-Password-Authentication',
      'created_at',
      'custom_login_page_on',
      'is_system',
      'Auth0 Management API',
    ])
      expect(yaml, absent).not.toContain(absent);
    expect(yaml).toContain('https://##AUTH0_DOMAIN##/api/v2/');
    expect(yaml).toContain('"##ACTION_STEP_UP_CHALLENGE_STEP_UP_CLIENT_IDS##"');
    const envFile = join(out, 'env', 'local.json');
    const env = readFileSync(envFile, 'utf8');
    expect(env).toContain('BANKING_SPA_CALLBACKS');
    // The source env's rate limit is carried over; the diff below reads at the test budget instead (pace only).
    const exportedEnv = JSON.parse(env) as { deploy: { rateLimit?: unknown } };
    expect(exportedEnv.deploy.rateLimit).toEqual({ perSecond: 2, burst: 2 });
    exportedEnv.deploy.rateLimit = testBudget;
    writeFileSync(envFile, JSON.stringify(exportedEnv));

    const { data: clients } = await fixture.management.clients.list({ per_page: 100 });
    const spaId = clients.find((client) => client.name === 'Banking SPA')!.client_id!;
    const secrets = {
      ...Object.fromEntries(
        ['STEP_UP_CHALLENGE', 'STEP_UP_EVIDENCE'].flatMap((action) => [
          [`ACTION_${action}_STEP_UP_CLIENT_IDS`, spaId],
          [`ACTION_${action}_BANKING_API_IDENTIFIER`, 'https://my-banking-api'],
        ]),
      ),
      ACTION_PARTNER_ACCESS_BANKING_API_IDENTIFIER: 'https://my-banking-api',
    };
    const diff = await runScript(
      fixture.tenant,
      workspace,
      'scripts/diff.ts',
      ['--file', join(out, 'tenant.yaml'), '--env', 'local', '--refresh'],
      secrets,
    );
    expect(diff.code, `${diff.stdout}\n${diff.stderr}`).toBe(0);
    expect(diff.stdout).toContain('No changes.');

    // The default output stays out of tenant/, and an existing export is not overwritten by accident.
    const again = await runExport(['--env', 'local', '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/tenant\.yaml exists: pass --force to overwrite/);
    const intoTenant = await runExport(['--env', 'local', '--out', 'tenant/export']);
    expect(intoTenant.code).toBe(2);
    expect(intoTenant.stderr).toContain('is inside tenant/: pass --force');
  }, 240_000);
});
