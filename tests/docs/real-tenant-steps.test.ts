// README's real-tenant path as a newcomer follows it: the scope table asks for exactly the writes the deploy makes,
// every env file loads without undocumented values, machine formats mention --silent, the Node claim matches what
// the dependencies declare, `npm test` has a duration, and `npm run keys` after the quick start does not fail.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadDesiredState } from '../../deploy/config/load.js';

const readme = readFileSync('README.md', 'utf8');
const scopeTable = readme.slice(
  readme.indexOf('| managed in tenant.yaml |'),
  readme.indexOf('2. Put its'),
);

/** Management API resource → the module that writes it. */
const modules: Record<string, string> = {
  resource_servers: 'deploy/resources/resource-servers.ts',
  clients: 'deploy/resources/clients.ts',
  client_grants: 'deploy/resources/client-grants.ts',
  connections: 'deploy/resources/databases.ts',
  actions: 'deploy/resources/actions.ts',
};

describe('README: point it at a real tenant', () => {
  it('asks for create/delete scopes exactly where the deploy creates or deletes', () => {
    for (const [resource, file] of Object.entries(modules)) {
      const source = readFileSync(file, 'utf8');
      for (const verb of ['create', 'delete'] as const) {
        const used = new RegExp(`^\\s+async ${verb}\\(`, 'm').test(source);
        expect(scopeTable.includes(`\`${verb}:${resource}\``), `${verb}:${resource}`).toBe(used);
      }
    }
  });

  it('every real environment loads with only the values its file and the README name', () => {
    const steps = readme.slice(
      readme.indexOf('## Point it at a real tenant'),
      readme.indexOf('## Environments'),
    );
    for (const env of ['dev', 'staging', 'prod']) {
      const file = JSON.parse(readFileSync(`tenant/env/${env}.json`, 'utf8')) as {
        AUTH0_KEYWORD_REPLACE_MAPPINGS: Record<string, unknown>;
      };
      for (const key of Object.keys(file.AUTH0_KEYWORD_REPLACE_MAPPINGS))
        expect(steps, `README real-tenant steps mention ${key}`).toContain(key);
      expect(() =>
        loadDesiredState({
          tenantFile: 'tenant/tenant.yaml',
          env,
          variables: {},
          computedKeywords: { AUTH0_DOMAIN: 'bank.example', RESOURCE_SERVER_VERIFICATION_KEY: 'k' },
        }),
      ).not.toThrow();
    }
  });

  it('machine formats are shown with npm run --silent', () => {
    expect(readme).toMatch(/npm run --silent diff -- [^\n]*--format json/);
  });

  it('the quick start says how long npm test takes', () => {
    expect(readme).toMatch(/npm test[^\n]*(a few minutes|\d+ min)/);
  });
});

describe('Node version', () => {
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
    packages: Record<string, { engines?: { node?: string } | string[] }>;
  };
  const engines = (
    JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } }
  ).engines.node;
  const claimed = /^>=\s*(\d+)\.(\d+)/.exec(engines);

  it('README claims what package.json engines says', () => {
    expect(claimed, engines).not.toBeNull();
    expect(readme).toContain(`Node ${claimed![1]}.${claimed![2]}+`);
  });

  it('README names every installed dependency that declares a higher minimum', () => {
    const major = Number(claimed![1]);
    for (const [path, entry] of Object.entries(lock.packages)) {
      const range = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
      if (!path || !range || range.includes('||')) continue;
      const minimum = /^>=\s*(\d+)/.exec(range.trim());
      if (minimum && Number(minimum[1]) > major) {
        const name = path.replace(/^.*node_modules\//, '');
        expect(readme, `${name} declares node ${range}`).toContain(`\`${name}\``);
      }
    }
  });
});

describe('npm run keys after the quick start', () => {
  it('keeps the existing pair and exits 0', { timeout: 60_000 }, async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'keys-')), 'keys');
    const run = () =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/keys.ts', '--dir', dir]);
    await run();
    const again = await run();
    expect(again.stdout).toContain('The key pair already exists');
    expect(again.stdout).toContain('Nothing changed');
  });
});
