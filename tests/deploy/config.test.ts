// Config loading: every bad input is a clear error naming file, line and path — raised before any request.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../deploy/config/errors.js';
import { loadDesiredState } from '../../deploy/config/load.js';

const repoTenant = readFileSync('tenant/tenant.yaml', 'utf8');
const repoLocalEnv = readFileSync('tenant/env/local.json', 'utf8');
const computed = {
  AUTH0_DOMAIN: '127.0.0.1:9999',
  RESOURCE_SERVER_VERIFICATION_KEY: '-----BEGIN PUBLIC KEY-----\nX\n-----END PUBLIC KEY-----\n',
};

// One folder for the file; every case gets its own inside it.
const scratch = mkdtempSync(join(tmpdir(), 'deploy-config-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function workspace(tenantYaml: string, envJson = repoLocalEnv): string {
  const dir = mkdtempSync(join(scratch, 'case-'));
  mkdirSync(join(dir, 'tenant', 'env'), { recursive: true });
  mkdirSync(join(dir, 'dist', 'actions'), { recursive: true });
  writeFileSync(join(dir, 'tenant', 'tenant.yaml'), tenantYaml);
  writeFileSync(join(dir, 'tenant', 'env', 'local.json'), envJson);
  for (const name of ['step-up-challenge', 'step-up-evidence', 'partner-access'])
    writeFileSync(
      join(dir, 'dist', 'actions', `${name}.js`),
      `exports.onExecutePostLogin = async () => {}; // ${name}\n`,
    );
  return join(dir, 'tenant', 'tenant.yaml');
}

function problemsOf(
  tenantYaml: string,
  envJson?: string,
  variables: NodeJS.ProcessEnv = {},
): string {
  try {
    loadDesiredState({
      tenantFile: workspace(tenantYaml, envJson),
      env: 'local',
      computedKeywords: computed,
      variables,
    });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadDesiredState', () => {
  it('loads the repository tenant.yaml for every environment with keywords and client references', () => {
    const state = loadDesiredState({
      tenantFile: workspace(repoTenant),
      env: 'local',
      computedKeywords: computed,
      variables: {},
    });
    expect(state.sections.resourceServers?.[0]?.verificationKey).toBe(
      computed.RESOURCE_SERVER_VERIFICATION_KEY,
    );
    expect(state.sections.clients?.find((c) => c.name === 'Banking SPA')?.callbacks).toContain(
      'http://127.0.0.1:3000',
    );
    expect(state.sections.clientGrants?.[1]?.audience).toBe('https://127.0.0.1:9999/api/v2/');
    expect(state.sections.actions?.[0]?.secrets[0]?.value).toBe('{{clientIds: Banking SPA}}');
    expect(state.sections.triggers?.['post-login']?.map((b) => b.action_name)).toEqual([
      'step-up-challenge',
      'step-up-evidence',
    ]);
    expect(state.deploy.users[0]?.password).toBe('Demo-Passw0rd!local');
    for (const env of ['dev', 'staging', 'prod']) {
      const loaded = loadDesiredState({
        tenantFile: 'tenant/tenant.yaml',
        env,
        computedKeywords: computed,
        variables: {},
      });
      expect(loaded.sections.clients?.length).toBe(3);
    }
  });

  it('reports a YAML syntax error with its line', () => {
    const broken = repoTenant.replace('    signing_alg: RS256', '    signing_alg: [RS256');
    const line =
      repoTenant.split('\n').findIndex((text) => text.includes('signing_alg: RS256')) + 1;
    const message = problemsOf(broken);
    expect(message).toMatch(/tenant\.yaml:\d+: YAML syntax error/);
    expect(Number(/tenant\.yaml:(\d+)/.exec(message)?.[1])).toBeGreaterThanOrEqual(line);
  });

  it('rejects an unknown property, naming file, line and path', () => {
    const typo = repoTenant.replace(
      '    token_endpoint_auth_method: none',
      '    token_endpoint_auth_methd: none',
    );
    const line =
      typo.split('\n').findIndex((text) => text.includes('token_endpoint_auth_methd')) + 1;
    expect(problemsOf(typo)).toContain(
      `tenant/tenant.yaml:${line}: clients[0].token_endpoint_auth_methd: unknown property`,
    );
  });

  it('rejects an unknown top-level section but accepts a0deploy sections', () => {
    expect(problemsOf(`${repoTenant}\nclientz: []\n`)).toContain('clientz: unknown section');
    const withRoles = loadDesiredState({
      tenantFile: workspace(`${repoTenant}\nroles: []\n`),
      env: 'local',
      computedKeywords: computed,
      variables: {},
    });
    expect(withRoles.passthrough).toEqual({ roles: [] });
  });

  it('names a missing keyword with key, file and line', () => {
    const withMissing = repoTenant.replace(
      'description: Read the account balance',
      "description: '##BALANCE_TEXT##'",
    );
    const line = withMissing.split('\n').findIndex((text) => text.includes('##BALANCE_TEXT##')) + 1;
    expect(problemsOf(withMissing)).toContain(
      `tenant/tenant.yaml:${line}: keyword BALANCE_TEXT has no value`,
    );
  });

  it('takes a missing keyword from the environment (as a0deploy does)', () => {
    const withMissing = repoTenant.replace(
      'description: Read the account balance',
      "description: '##BALANCE_TEXT##'",
    );
    const state = loadDesiredState({
      tenantFile: workspace(withMissing),
      env: 'local',
      computedKeywords: computed,
      variables: { BALANCE_TEXT: 'from env' },
    });
    expect(state.sections.resourceServers?.[0]?.scopes?.[0]?.description).toBe('from env');
  });

  it('rejects a grant to an unknown client and a scope the API does not define', () => {
    const unknownClient = repoTenant.replace(
      '  - client_id: Banking Partner',
      '  - client_id: Banking Partnr',
    );
    expect(problemsOf(unknownClient)).toMatch(
      /clientGrants\[0\]\.client_id: grant to unknown client "Banking Partnr"/,
    );
    const badScope = repoTenant.replace('    scope: [view:balance]', '    scope: [view:balances]');
    expect(problemsOf(badScope)).toMatch(
      /clientGrants\[0\]\.scope\[0\]: scope "view:balances" is not defined on API https:\/\/my-banking-api/,
    );
  });

  it('rejects bindings and {{clientIds}} that name nothing, and missing bundles', () => {
    expect(
      problemsOf(
        repoTenant.replace(
          '- { action_name: step-up-evidence,',
          '- { action_name: step-up-evidense,',
        ),
      ),
    ).toContain('binding to unknown action "step-up-evidense"');
    expect(
      problemsOf(
        repoTenant.replace(/\{\{clientIds: Banking SPA\}\}/, '{{clientIds: Banking APP}}'),
      ),
    ).toContain('names unknown client "Banking APP"');
    expect(
      problemsOf(
        repoTenant.replace('../dist/actions/step-up-evidence.js', '../dist/actions/nope.js'),
      ),
    ).toMatch(/actions\[1\]\.code: \S*dist\/actions\/nope\.js does not exist/);
  });

  it('validates the env file strictly', () => {
    const env = JSON.parse(repoLocalEnv) as Record<string, unknown>;
    expect(problemsOf(repoTenant, JSON.stringify({ ...env, deploi: {} }))).toContain(
      'tenant/env/local.json: deploi: unknown property',
    );
    expect(problemsOf(repoTenant, '{ not json')).toContain('tenant/env/local.json: invalid JSON');
  });
});
