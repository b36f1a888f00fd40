// Config checks beyond the schema: a mistyped Management API scope in a grant, an Action path typo (named, with
// where it is referenced — not "run npm run build"), and demo users outside the local tenant.
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../deploy/config/errors.js';
import { loadDesiredState } from '../../deploy/config/load.js';

const repoTenant = readFileSync('tenant/tenant.yaml', 'utf8');
const repoLocalEnv = readFileSync('tenant/env/local.json', 'utf8');
const computed = {
  AUTH0_DOMAIN: '127.0.0.1:9999',
  RESOURCE_SERVER_VERIFICATION_KEY: '-----BEGIN PUBLIC KEY-----\nX\n-----END PUBLIC KEY-----\n',
};

function load(tenantYaml: string, env = 'local', envJson = repoLocalEnv): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'config-checks-'));
  mkdirSync(join(dir, 'tenant', 'env'), { recursive: true });
  mkdirSync(join(dir, 'dist', 'actions'), { recursive: true });
  writeFileSync(join(dir, 'tenant', 'tenant.yaml'), tenantYaml);
  writeFileSync(join(dir, 'tenant', 'env', `${env}.json`), envJson);
  for (const name of ['step-up-challenge', 'step-up-evidence', 'partner-access'])
    writeFileSync(join(dir, 'dist', 'actions', `${name}.js`), `// ${name}\n`);
  try {
    loadDesiredState({
      tenantFile: join(dir, 'tenant', 'tenant.yaml'),
      env,
      computedKeywords: computed,
      variables: {},
    });
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
}

describe('config checks', () => {
  it('the repository tenant passes them', () => {
    expect(load(repoTenant)).toBeUndefined();
  });

  it('a Management API scope that does not exist is named, with a suggestion', () => {
    const message = load(repoTenant.replace('scope: [read:users, ', 'scope: [read:userz, '));
    expect(message).toMatch(
      /tenant\.yaml:\d+: clientGrants\[1\]\.scope\[0\]: "read:userz" is not a Management API scope \(did you mean read:users\?\)/,
    );
  });

  it('an Action path typo names the path, where it is referenced, and what could be built', () => {
    const message = load(
      repoTenant.replace(
        '../dist/actions/step-up-evidence.js',
        '../dist/actions/step-up-evidense.js',
      ),
    );
    expect(message).toMatch(
      /tenant\.yaml:\d+: actions\[1\]\.code: \S*dist\/actions\/step-up-evidense\.js does not exist \(tenant\.yaml refers to it as "\.\.\/dist\/actions\/step-up-evidense\.js"\), and no actions\/src\/step-up-evidense\.ts would build it/,
    );
    expect(message).toContain('Buildable: ');
    expect(message).toContain('step-up-evidence.js');
    expect(message).not.toContain('npm run build');
  });

  it('demo users go only to the local tenant', () => {
    const dev = load(repoTenant, 'dev', repoLocalEnv);
    expect(dev).toContain(
      'tenant/env/dev.json: deploy.users: demo users are deployed only to the local tenant (--env local), not to "dev"',
    );
    expect(load(repoTenant, 'dev', readFileSync('tenant/env/dev.json', 'utf8'))).toBeUndefined();
  });
});
