// An Action importing an npm package (the password-age-claim sample, which imports `ms`), built both ways and run
// by the local tenant on a real password grant: bundled in, or declared as an Auth0 dependency — and, declared
// nowhere, the login fails as on Auth0 with "Cannot find module".
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleActions } from '../../actions/bundle.js';
import { lockedVersion } from '../../actions/build-config.js';
import {
  BANKING_API,
  USER_PASSWORD,
  startAuthFixture,
  type AuthFixture,
} from '../helpers/auth-fixture.js';

const MS_VERSION = lockedVersion(join(import.meta.dirname, '..', '..', 'package-lock.json'), 'ms')!;
const CLAIM = `${BANKING_API}/password_stale`;

let fx: AuthFixture;
let workDir = '';
let bundledCode = '';
let declaredCode = '';

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'actions-npm-lt-'));
  const codeOf = async (
    outDir: string,
    declared: Map<string, { name: string; version: string }[]>,
  ) =>
    (await bundleActions({ outDir, dependencies: declared })).find(
      (bundle) => bundle.name === 'password-age-claim',
    )!.code;
  bundledCode = await codeOf(join(workDir, 'bundled'), new Map());
  declaredCode = await codeOf(
    join(workDir, 'declared'),
    new Map([['password-age-claim', [{ name: 'ms', version: MS_VERSION }]]]),
  );
  fx = await startAuthFixture();
});
afterAll(async () => {
  await fx?.close();
  await rm(workDir, { recursive: true, force: true });
});

/** Creates, builds, deploys and binds (alone) the Action through the Management API, as `npm run deploy` does. */
async function deployAlone(name: string, code: string, dependencies: unknown[]): Promise<void> {
  const created = await fx.mgmt('POST', '/actions/actions', {
    name,
    code,
    runtime: 'node22',
    supported_triggers: [{ id: 'post-login', version: 'v3' }],
    dependencies,
    secrets: [
      { name: 'BANKING_API_IDENTIFIER', value: BANKING_API },
      { name: 'PASSWORD_MAX_AGE', value: '90d' },
    ],
  });
  expect(created.status).toBe(201);
  const id = String(created.json.id);
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if ((await fx.mgmt('GET', `/actions/actions/${id}`)).json.status === 'built') break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect((await fx.mgmt('POST', `/actions/actions/${id}/deploy`)).status).toBeLessThan(300);
  await fx.bindPostLogin([id]);
}

const login = () =>
  fx.token({
    grant_type: 'password',
    client_id: fx.trusted.clientId,
    client_secret: fx.trusted.clientSecret,
    username: fx.user.email,
    password: USER_PASSWORD,
    audience: BANKING_API,
    scope: 'openid view:balance',
  });

describe('the local tenant runs an Action that imports an npm package', () => {
  it('bundled in (the default): the claim computed with ms is in the access token', async () => {
    expect(bundledCode).not.toContain('require("ms")');
    await deployAlone('password-age-bundled', bundledCode, []);
    const answer = await login();
    expect(answer.status).toBe(200);
    // The demo user was created moments ago: its password is well within 90 days.
    expect(decodeJwt(String(answer.json.access_token))[CLAIM]).toBe(false);
  });

  it('declared as a dependency: require("ms") is served from node_modules', async () => {
    expect(declaredCode).toContain('require("ms")');
    await deployAlone('password-age-declared', declaredCode, [{ name: 'ms', version: MS_VERSION }]);
    const answer = await login();
    expect(answer.status).toBe(200);
    expect(decodeJwt(String(answer.json.access_token))[CLAIM]).toBe(false);
  });

  it('required but not declared: the login fails as the Action cannot find the module', async () => {
    await deployAlone('password-age-undeclared', declaredCode, []);
    const answer = await login();
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.json).toMatchObject({ error: 'access_denied' });
    expect(String(answer.json.error_description)).toMatch(/Cannot find module 'ms'/);
  });
});
