// The real step-up Action bundles (actions/src, bundled by bundleActions) executed by the local tenant's runtime.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleActions } from '../../actions/bundle.js';
import {
  ActionCacheRegistry,
  applyScopeOperations,
  recordMfaCompleted,
  runPostLoginPipeline,
  type DeployedPostLoginAction,
  type PostLoginEventInput,
} from '../../local-tenant/actions-runtime/index.js';

const outDir = mkdtempSync(join(tmpdir(), 'lt-auth-bundles-'));
let actions: DeployedPostLoginAction[] = [];
const secrets = {
  BANKING_API_IDENTIFIER: 'https://my-banking-api',
  STEP_UP_CLIENT_IDS: 'spa-client',
};

beforeAll(async () => {
  const bundles = await bundleActions({ outDir });
  const byName = new Map(bundles.map((bundle) => [bundle.name, bundle]));
  actions = ['step-up-challenge', 'step-up-evidence'].map((name) => ({
    actionId: name,
    name,
    versionId: `${name}-v1`,
    code: byName.get(name)!.code,
    secrets,
  }));
});
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function event(clientId: string, protocol: string, scopes: string[]): PostLoginEventInput {
  return {
    client: { client_id: clientId, name: clientId, metadata: {} },
    transaction: {
      id: 'tx',
      protocol,
      requested_scopes: scopes,
      // The step-up Actions grant transfer:funds only with the multi-factor policy requested.
      acr_values: ['http://schemas.openid.net/pape/policies/2007/06/multi-factor'],
      prompt: [],
      response_type: ['code'],
      ui_locales: [],
      locale: 'en',
    },
    resource_server: { identifier: 'https://my-banking-api' },
    user: { user_id: 'auth0|ann' },
    request: {
      ip: '127.0.0.1',
      method: 'GET',
      hostname: '127.0.0.1',
      query: {},
      body: {},
      geoip: {},
    },
    connection: {
      id: 'con',
      name: 'Username-Password-Authentication',
      strategy: 'auth0',
      metadata: {},
    },
    tenant: { id: 'local' },
    stats: { logins_count: 1 },
  };
}

const requested = ['openid', 'view:balance', 'transfer:funds'];
const pwdNow = () => [{ name: 'pwd', timestamp: new Date().toISOString() }];

describe('step-up Actions in the local tenant runtime', () => {
  it('challenges a listed client asking for transfer:funds, then sets the amr claim after MFA', async () => {
    const run = (state?: Parameters<typeof runPostLoginPipeline>[0]['state']) =>
      runPostLoginPipeline({
        actions,
        event: event('spa-client', 'oidc-basic-profile', requested),
        initialMethods: pwdNow(),
        cache: new ActionCacheRegistry(),
        canRedirect: true,
        ...(state ? { state } : {}),
      });
    const paused = await run();
    expect(paused.status).toBe('challenge');
    if (paused.status !== 'challenge') return;
    expect(paused.factors.map((factor) => factor.type)).toContain('otp');
    const done = await run(recordMfaCompleted(paused.state, 'otp'));
    if (done.status !== 'completed') throw new Error(done.status);
    expect(done.state.effects.accessTokenClaims['https://my-banking-api/amr']).toEqual([
      'pwd',
      'mfa',
    ]);
    expect(applyScopeOperations(requested, done.state)).toEqual(requested);
  });

  it('removes transfer:funds for an unlisted client and for refresh-token exchanges, without a challenge', async () => {
    for (const [clientId, protocol] of [
      ['other-client', 'oidc-basic-profile'],
      ['spa-client', 'oauth2-refresh-token'],
    ] as const) {
      const outcome = await runPostLoginPipeline({
        actions,
        event: event(clientId, protocol, requested),
        initialMethods: pwdNow(),
        cache: new ActionCacheRegistry(),
        canRedirect: protocol !== 'oauth2-refresh-token',
      });
      if (outcome.status !== 'completed')
        throw new Error(`${clientId}/${protocol}: ${outcome.status}`);
      expect(applyScopeOperations(requested, outcome.state)).toEqual(['openid', 'view:balance']);
      expect(outcome.state.effects.accessTokenClaims).toEqual({});
    }
  });

  it('challenges an SSO login whose session carries a recent MFA from an earlier login', async () => {
    const ssoMethods = [
      { name: 'pwd', timestamp: new Date(Date.now() - 400_000).toISOString() },
      { name: 'mfa', timestamp: new Date(Date.now() - 120_000).toISOString(), type: 'otp' },
    ];
    const outcome = await runPostLoginPipeline({
      actions,
      event: event('spa-client', 'oidc-basic-profile', requested),
      initialMethods: ssoMethods,
      cache: new ActionCacheRegistry(),
      canRedirect: true,
    });
    expect(outcome.status).toBe('challenge');
  });

  it('does not pause again for a challenge already satisfied by a matching factor in this transaction', async () => {
    const challengeTwice: DeployedPostLoginAction[] = ['first', 'second'].map((name) => ({
      actionId: name,
      name,
      versionId: `${name}-v1`,
      code: `exports.onExecutePostLogin = async (event, api) => { api.authentication.challengeWithAny([{ type: 'otp' }]); };`,
      secrets: {},
    }));
    const run = (state?: Parameters<typeof runPostLoginPipeline>[0]['state']) =>
      runPostLoginPipeline({
        actions: challengeTwice,
        event: event('spa-client', 'oidc-basic-profile', requested),
        initialMethods: pwdNow(),
        cache: new ActionCacheRegistry(),
        canRedirect: true,
        ...(state ? { state } : {}),
      });
    const paused = await run();
    if (paused.status !== 'challenge') throw new Error(paused.status);
    expect((await run(recordMfaCompleted(paused.state, 'otp'))).status).toBe('completed');
    // A different factor type is not a match: the second challenge still prompts.
    expect((await run(recordMfaCompleted(paused.state, 'phone'))).status).toBe('challenge');
  });
});
