// Config load cross-checks the step-up Actions' banking API identifier against resourceServers and their binding
// order: a mismatch is a config error naming file, line and path, before any request.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkBankingApiContract } from '../../deploy/config/banking-api-contract-check.js';
import { ConfigError } from '../../deploy/config/errors.js';
import { loadDesiredState } from '../../deploy/config/load.js';
import type { ManagedSections } from '../../deploy/config/schema.js';

const repoTenant = readFileSync('tenant/tenant.yaml', 'utf8');
const repoLocalEnv = readFileSync('tenant/env/local.json', 'utf8');
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function load(tenantYaml: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-contract-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'tenant', 'env'), { recursive: true });
  mkdirSync(join(dir, 'dist', 'actions'), { recursive: true });
  writeFileSync(join(dir, 'tenant', 'tenant.yaml'), tenantYaml);
  writeFileSync(join(dir, 'tenant', 'env', 'local.json'), repoLocalEnv);
  for (const name of ['step-up-challenge', 'step-up-evidence', 'partner-access'])
    writeFileSync(join(dir, 'dist', 'actions', `${name}.js`), 'exports.onExecutePostLogin = 1;\n');
  loadDesiredState({
    tenantFile: join(dir, 'tenant', 'tenant.yaml'),
    env: 'local',
    computedKeywords: { AUTH0_DOMAIN: 'x.example', RESOURCE_SERVER_VERIFICATION_KEY: 'k' },
    variables: {},
  });
}

function loadError(tenantYaml: string): string {
  try {
    load(tenantYaml);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadDesiredState: banking API contract', () => {
  it('accepts the repository tenant.yaml', () => {
    expect(() => load(repoTenant)).not.toThrow();
  });

  it('refuses a BANKING_API_IDENTIFIER with a trailing slash, naming file, line and path', () => {
    const yaml = repoTenant.replace(
      '- { name: BANKING_API_IDENTIFIER, value: https://my-banking-api }',
      '- { name: BANKING_API_IDENTIFIER, value: https://my-banking-api/ }',
    );
    const line = yaml.split('\n').findIndex((text) => text.includes('my-banking-api/ }')) + 1;
    expect(loadError(yaml)).toMatch(/\/tenant\/tenant\.yaml:\d+: /);
    expect(loadError(yaml).replace(/^.*\/tenant\/tenant\.yaml/, 'tenant.yaml')).toBe(
      `tenant.yaml:${line}: actions[0].secrets[1].value: BANKING_API_IDENTIFIER ` +
        '"https://my-banking-api/" is not the identifier of an API in resourceServers ' +
        '(https://my-banking-api); the Actions compare it exactly with the token audience',
    );
  });

  it('refuses the Actions bound in the wrong order or only one of them', () => {
    const swapped = repoTenant.replace(
      /( {4}- \{ action_name: step-up-challenge.*\n)( {4}- \{ action_name: step-up-evidence.*\n)/,
      '$2$1',
    );
    expect(loadError(swapped)).toMatch(
      /tenant\.yaml:\d+: triggers\.post-login: bind step-up-challenge then step-up-evidence, in this order \(found: step-up-evidence, step-up-challenge\)/,
    );
    const evidenceOnly = repoTenant.replace(/ {4}- \{ action_name: step-up-challenge.*\n/, '');
    expect(loadError(evidenceOnly)).toMatch(/\(found: step-up-evidence\)/);
  });
});

describe('checkBankingApiContract', () => {
  const api = (scopes: string[]) => ({
    name: 'API',
    identifier: 'https://api',
    scopes: scopes.map((value) => ({ value })),
  });
  const action = (value: string) => ({
    name: 'a',
    code: 'a.js',
    runtime: 'node22',
    deployed: true,
    dependencies: [],
    secrets: [
      { name: 'OTHER', value: 'https://nowhere' },
      { name: 'BANKING_API_IDENTIFIER', value },
    ],
    supported_triggers: [{ id: 'post-login' as const, version: 'v3' }],
  });
  const check = (sections: Partial<ManagedSections>) =>
    checkBankingApiContract(sections as ManagedSections, 't.yaml', (path) => path.length);

  it('passes a matching identifier whose API defines transfer:funds, and no bindings at all', () => {
    expect(
      check({ resourceServers: [api(['transfer:funds'])], actions: [action('https://api')] }),
    ).toEqual([]);
    expect(check({})).toEqual([]);
  });

  it('names the known identifiers, or "none" when there is no API', () => {
    expect(check({ actions: [action('https://api')] })[0]?.message).toContain(
      'in resourceServers (none)',
    );
  });

  it('refuses an API that does not define transfer:funds', () => {
    expect(
      check({ resourceServers: [api(['view:balance'])], actions: [action('https://api')] }),
    ).toEqual([
      {
        file: 't.yaml',
        line: 5,
        path: 'actions[0].secrets[1].value',
        message: 'API https://api does not define the scope transfer:funds the Action guards',
      },
    ]);
  });

  it('accepts other bindings around the two Actions in order; refuses the challenge alone', () => {
    const binding = (name: string) => ({ action_name: name, display_name: name });
    const triggers = (...names: string[]) => ({ 'post-login': names.map(binding) });
    expect(
      check({ triggers: triggers('x', 'step-up-challenge', 'y', 'step-up-evidence', 'z') }),
    ).toEqual([]);
    expect(check({ triggers: triggers('x') })).toEqual([]);
    expect(check({ triggers: triggers('step-up-challenge') })).toEqual([
      {
        file: 't.yaml',
        line: 2,
        path: 'triggers.post-login',
        message:
          'bind step-up-challenge then step-up-evidence, in this order (found: step-up-challenge)',
      },
    ]);
  });
});
