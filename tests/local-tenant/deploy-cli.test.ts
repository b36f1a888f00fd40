// auth0-deploy-cli 8.44 against the local tenant, unchanged: CLI import as a child process, a dry run (GETs
// only), CLI export, and the node module's dry run (no changes) and import of the export (round trip).
// deploy-cli compiles its schema for every validation: a0deploy-schema-once compiles it once per process.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { a0deployPreload } from '../helpers/a0deploy-schema-once.js';
import { useLocalTenant } from '../helpers/local-tenant.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const a0deployBin = require.resolve('auth0-deploy-cli/lib/index.js');
const includedOnly = [
  'resourceServers',
  'clients',
  'clientGrants',
  'actions',
  'triggers',
  'guardianFactors',
  'tenant',
];
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
  const { stdout, stderr } = await run(
    process.execPath,
    [...a0deployPreload, a0deployBin, ...args],
    {
      cwd: workDir,
      env,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return { output: stdout + stderr, seconds: (performance.now() - started) / 1000 };
}

type DeployCliModule = { deploy: (params: Record<string, unknown>) => Promise<void> };

/** deploy-cli's node module `deploy` (the CLI's import), with the bootstrap client's credentials. */
async function importInProcess(
  inputFile: string,
  options: { dryRun?: boolean; mappings?: Record<string, unknown> } = {},
): Promise<string> {
  const { deploy } = (await import('auth0-deploy-cli')) as unknown as DeployCliModule;
  const config = {
    AUTH0_DOMAIN: lt.tenant.domain,
    AUTH0_CLIENT_ID: lt.tenant.bootstrap.clientId,
    AUTH0_CLIENT_SECRET: lt.tenant.bootstrap.clientSecret,
    AUTH0_INCLUDED_ONLY: includedOnly,
    ...(options.mappings ? { AUTH0_KEYWORD_REPLACE_MAPPINGS: options.mappings } : {}),
  };
  // The dry-run table goes to stdout: keep it as the answer instead of in the test log.
  const printed: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed.push(String(chunk));
    return true;
  });
  try {
    await deploy({ input_file: inputFile, config, ...(options.dryRun ? { dry_run: true } : {}) });
  } finally {
    spy.mockRestore();
  }
  return printed.join('');
}

describe('auth0-deploy-cli against the local tenant', () => {
  it(
    'imports a tenant.yaml with the CLI (no code change, env only)',
    { timeout: slow },
    async () => {
      const { output, seconds } = await a0deploy(['import', '-i', 'tenant.yaml'], cliEnv());
      console.info(`a0deploy import of fixtures/tenant.yaml took ${seconds.toFixed(1)} s`);
      expect(output).toContain('Import Successful');

      const state = lt.tenant.store.snapshot;
      const api = state.resource_servers.find(
        (server) => server.identifier === 'https://my-banking-api',
      );
      expect(api).toMatchObject({ name: 'Banking API', token_lifetime: 600 });
      expect(api?.scopes.map((scope) => scope.value)).toEqual(['view:balance', 'transfer:funds']);
      const spa = state.clients.find((client) => client.name === 'Banking SPA');
      const m2m = state.clients.find((client) => client.name === 'Partner M2M');
      expect(spa?.token_endpoint_auth_method).toBe('none');
      expect(state.client_grants.find((grant) => grant.client_id === m2m?.client_id)).toMatchObject(
        { audience: 'https://my-banking-api', scope: ['view:balance'] },
      );
      const action = state.actions.find((candidate) => candidate.name === 'step-up-mfa');
      expect(action?.deployed_version_id).toBeDefined();
      expect(action?.code).toContain('transfer:funds');
      expect(
        state.trigger_bindings.map((binding) => [binding.trigger_id, binding.action_id]),
      ).toEqual([['post-login', action?.id]]);
      expect(state.guardian.factors.otp?.enabled).toBe(true);
      expect(state.tenant_settings).toMatchObject({
        friendly_name: 'Local Bank',
        session_lifetime: 72,
      });
      expect(lt.tenant.requestLog.entries().some((entry) => entry.status >= 500)).toBe(false);
    },
  );

  it(
    'a dry run (--dry-run) reports the change and sends only GETs',
    { timeout: slow },
    async () => {
      lt.tenant.requestLog.clear();
      const before = JSON.stringify(lt.tenant.store.snapshot);
      const output = await importInProcess(join(workDir, 'tenant.yaml'), {
        dryRun: true,
        mappings: { TOKEN_LIFETIME: 900 },
      });
      expect(output).toContain('Dry Run');
      expect(output).toMatch(/UPDATE[\s\S]*Banking API|Banking API[\s\S]*UPDATE/);
      const methods = new Set(
        lt.tenant.requestLog.entries('/api/v2/').map((entry) => entry.method),
      );
      expect([...methods]).toEqual(['GET']);
      expect(JSON.stringify(lt.tenant.store.snapshot)).toBe(before);
    },
  );

  it(
    'export round trip: the node module finds no changes in the export and re-imports it with updates only',
    { timeout: slow },
    async () => {
      const exportDir = join(workDir, 'export');
      await a0deploy(['export', '-f', 'directory', '-o', exportDir], cliEnv());
      const api = JSON.parse(
        readFileSync(join(exportDir, 'resource-servers', 'Banking API.json'), 'utf8'),
      ) as { identifier: string; scopes: unknown[] };
      expect(api).toMatchObject({
        identifier: 'https://my-banking-api',
        scopes: [{ value: 'view:balance' }, { value: 'transfer:funds' }],
      });
      expect(readFileSync(join(exportDir, 'actions', 'step-up-mfa', 'code.js'), 'utf8')).toContain(
        'transfer:funds',
      );
      const exportedText = JSON.stringify(
        readdirSync(exportDir, { recursive: true }).map((file) => String(file)),
      );
      expect(exportedText).toContain('Partner M2M');
      for (const file of readdirSync(join(exportDir, 'clients'))) {
        expect(readFileSync(join(exportDir, 'clients', file), 'utf8')).not.toContain(
          lt.tenant.bootstrap.clientSecret,
        );
      }

      lt.tenant.requestLog.clear();
      const text = await importInProcess(exportDir, { dryRun: true });
      expect(text).toContain('Dry Run completed successfully.');
      // Only the deploy client itself may show up (deploy-cli's dry run does not filter it:
      // docs/auth0-deploy-cli.md A4 quirk 1).
      const rows = text
        .split('\n')
        .filter(
          (line) => /CREATE|UPDATE|DELETE/.test(line) && !line.includes('Local Tenant Bootstrap'),
        );
      expect(rows).toEqual([]);
      expect(
        new Set(lt.tenant.requestLog.entries('/api/v2/').map((entry) => entry.method)),
      ).toEqual(new Set(['GET']));

      const idsBefore = JSON.stringify(
        [lt.tenant.store.snapshot.resource_servers, lt.tenant.store.snapshot.clients].map((list) =>
          list.map((item) => item.id ?? item.client_id),
        ),
      );
      lt.tenant.requestLog.clear();
      await importInProcess(exportDir);
      const writes = lt.tenant.requestLog
        .entries('/api/v2/')
        .filter((entry) => entry.method !== 'GET');
      expect(
        writes.filter((entry) => entry.method === 'POST' && !entry.path.endsWith('/deploy')),
      ).toEqual([]);
      expect(writes.some((entry) => entry.method === 'PATCH')).toBe(true);
      expect(
        writes.every(
          (entry) => entry.status < 300 || (entry.status === 400 && entry.path.endsWith('/deploy')),
        ),
      ).toBe(true);
      expect(
        JSON.stringify(
          [lt.tenant.store.snapshot.resource_servers, lt.tenant.store.snapshot.clients].map(
            (list) => list.map((item) => item.id ?? item.client_id),
          ),
        ),
      ).toBe(idsBefore);
    },
  );
});
