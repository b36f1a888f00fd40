// auth0-deploy-cli 8.44 against the local tenant, unchanged: CLI import as a child process, CLI --dry-run
// (GETs only), CLI export, and the node module's dry run of the exported YAML (round trip: no changes).
// Each YAML import compiles deploy-cli's ~8 MB schema (20–40 s), so this file keeps to few runs.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { useLocalTenant } from '../helpers/local-tenant.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const a0deployBin = require.resolve('auth0-deploy-cli/lib/index.js');
const includedOnly = ['resourceServers', 'clients', 'clientGrants', 'actions', 'triggers', 'guardianFactors', 'tenant'];
const slow = 240_000;

const lt = useLocalTenant();
const workDir = mkdtempSync(join(tmpdir(), 'a0deploy-'));
cpSync(join(import.meta.dirname, 'fixtures'), workDir, { recursive: true });

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_EXTRA_CA_CERTS: lt.tenant.caCertPath,
    AUTH0_DOMAIN: lt.tenant.domain,
    AUTH0_CLIENT_ID: lt.tenant.bootstrap.clientId,
    AUTH0_CLIENT_SECRET: lt.tenant.bootstrap.clientSecret,
    AUTH0_INCLUDED_ONLY: JSON.stringify(includedOnly),
    AUTH0_KEYWORD_REPLACE_MAPPINGS: JSON.stringify({ TOKEN_LIFETIME: 600 }),
    ...extra,
  };
}

async function a0deploy(args: string[], env: NodeJS.ProcessEnv) {
  const started = performance.now();
  // Async child process: the tenant answers from this same event loop.
  const { stdout, stderr } = await run(process.execPath, [a0deployBin, ...args], { cwd: workDir, env, maxBuffer: 16 * 1024 * 1024 });
  return { output: stdout + stderr, seconds: (performance.now() - started) / 1000 };
}

describe('auth0-deploy-cli against the local tenant', () => {
  it('imports a tenant.yaml with the CLI (no code change, env only)', { timeout: slow }, async () => {
    const { output, seconds } = await a0deploy(['import', '-i', 'tenant.yaml'], cliEnv());
    console.info(`a0deploy import of fixtures/tenant.yaml took ${seconds.toFixed(1)} s`);
    expect(output).toContain('Import Successful');

    const state = lt.tenant.store.snapshot;
    const api = state.resource_servers.find((server) => server.identifier === 'https://my-banking-api');
    expect(api).toMatchObject({ name: 'Banking API', token_lifetime: 600 });
    expect(api?.scopes.map((scope) => scope.value)).toEqual(['view:balance', 'transfer:funds']);
    const spa = state.clients.find((client) => client.name === 'Banking SPA');
    const m2m = state.clients.find((client) => client.name === 'Partner M2M');
    expect(spa?.token_endpoint_auth_method).toBe('none');
    expect(state.client_grants.find((grant) => grant.client_id === m2m?.client_id)).toMatchObject({ audience: 'https://my-banking-api', scope: ['view:balance'] });
    const action = state.actions.find((candidate) => candidate.name === 'step-up-mfa');
    expect(action?.deployed_version_id).toBeDefined();
    expect(action?.code).toContain('transfer:funds');
    expect(state.trigger_bindings.map((binding) => [binding.trigger_id, binding.action_id])).toEqual([['post-login', action?.id]]);
    expect(state.guardian.factors.otp?.enabled).toBe(true);
    expect(state.tenant_settings).toMatchObject({ friendly_name: 'Local Bank', session_lifetime: 72 });
    expect(lt.tenant.requestLog.entries().some((entry) => entry.status >= 500)).toBe(false);
  });

  it('--dry-run reports the change and sends only GETs', { timeout: slow }, async () => {
    lt.tenant.requestLog.clear();
    const before = JSON.stringify(lt.tenant.store.snapshot);
    const { output } = await a0deploy(['import', '-i', 'tenant.yaml', '--dry-run'], cliEnv({ AUTH0_KEYWORD_REPLACE_MAPPINGS: JSON.stringify({ TOKEN_LIFETIME: 900 }) }));
    expect(output).toContain('Dry Run');
    expect(output).toMatch(/UPDATE[\s\S]*Banking API|Banking API[\s\S]*UPDATE/);
    const methods = new Set(lt.tenant.requestLog.entries('/api/v2/').map((entry) => entry.method));
    expect([...methods]).toEqual(['GET']);
    expect(JSON.stringify(lt.tenant.store.snapshot)).toBe(before);
  });

  it('exports the tenant and the node module dry run of the export finds no changes (round trip)', { timeout: slow }, async () => {
    const exportDir = join(workDir, 'export');
    await a0deploy(['export', '-f', 'yaml', '-o', exportDir], cliEnv());
    const exported = parse(readFileSync(join(exportDir, 'tenant.yaml'), 'utf8')) as {
      resourceServers: { identifier: string }[];
      clients: Record<string, unknown>[];
      actions: { name: string; code: string }[];
    };
    expect(exported.resourceServers.map((server) => server.identifier)).toContain('https://my-banking-api');
    expect(exported.clients.map((client) => client.name)).toEqual(expect.arrayContaining(['Banking SPA', 'Partner M2M']));
    expect(JSON.stringify(exported)).not.toContain(lt.tenant.bootstrap.clientSecret);
    expect(exported.actions[0]?.name).toBe('step-up-mfa');

    const { deploy } = (await import('auth0-deploy-cli')) as unknown as { deploy: (params: Record<string, unknown>) => Promise<void> };
    lt.tenant.requestLog.clear();
    const printed: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    try {
      await deploy({
        input_file: join(exportDir, 'tenant.yaml'),
        dry_run: true,
        config: {
          AUTH0_DOMAIN: lt.tenant.domain,
          AUTH0_CLIENT_ID: lt.tenant.bootstrap.clientId,
          AUTH0_CLIENT_SECRET: lt.tenant.bootstrap.clientSecret,
          AUTH0_INCLUDED_ONLY: includedOnly,
        },
      });
    } finally {
      spy.mockRestore();
    }
    const text = printed.join('');
    writeFileSync(join(workDir, 'round-trip-dry-run.txt'), text);
    expect(text).toContain('Dry Run completed successfully.');
    // Only the deploy client itself may show up (deploy-cli's dry run does not filter it: notes A4 quirk 1).
    const rows = text.split('\n').filter((line) => /CREATE|UPDATE|DELETE/.test(line) && !line.includes(`Local Tenant Bootstrap`));
    expect(rows).toEqual([]);
    expect(new Set(lt.tenant.requestLog.entries('/api/v2/').map((entry) => entry.method))).toEqual(new Set(['GET']));
  });
});
