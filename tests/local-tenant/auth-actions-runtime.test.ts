import { afterAll, describe, expect, it } from 'vitest';
import {
  ActionCacheRegistry,
  WorkerActionExecutor,
  applyScopeOperations,
  recordMfaCompleted,
  runPostLoginPipeline,
  type DeployedPostLoginAction,
  type PostLoginEventInput,
} from '../../local-tenant/actions-runtime/index.js';

function action(
  name: string,
  body: string,
  secrets: Record<string, string> = {},
): DeployedPostLoginAction {
  return {
    actionId: `id-${name}`,
    name,
    versionId: `v-${name}`,
    secrets,
    code: `exports.onExecutePostLogin = async (event, api) => {\n${body}\n};`,
  };
}

function eventInput(
  overrides: Partial<PostLoginEventInput['transaction']> = {},
): PostLoginEventInput {
  return {
    client: { client_id: 'client-1', name: 'Banking SPA', metadata: {} },
    transaction: {
      id: 'tx-1',
      protocol: 'oidc-basic-profile',
      requested_scopes: ['openid', 'view:balance', 'transfer:funds'],
      acr_values: [],
      prompt: [],
      response_type: ['code'],
      ui_locales: [],
      locale: 'en',
      ...overrides,
    },
    resource_server: { identifier: 'https://my-banking-api' },
    user: { user_id: 'auth0|u1', email: 'ann@example.com' },
    request: {
      ip: '127.0.0.1',
      method: 'GET',
      hostname: '127.0.0.1',
      query: {},
      body: {},
      geoip: {},
    },
    connection: {
      id: 'con_1',
      name: 'Username-Password-Authentication',
      strategy: 'auth0',
      metadata: {},
    },
    tenant: { id: 'local' },
    stats: { logins_count: 1 },
  };
}

const pwd = [{ name: 'pwd', timestamp: '2026-01-01T00:00:00.000Z' }];

async function run(
  actions: DeployedPostLoginAction[],
  extra: Partial<Parameters<typeof runPostLoginPipeline>[0]> = {},
) {
  return runPostLoginPipeline({
    actions,
    event: eventInput(),
    initialMethods: pwd,
    cache: new ActionCacheRegistry(),
    canRedirect: true,
    timeoutMs: 2000,
    ...extra,
  });
}

describe('post-login Actions runtime', () => {
  it('runs Actions in binding order and collects custom claims, dropping restricted names silently', async () => {
    const outcome = await run([
      action(
        'first',
        `api.accessToken.setCustomClaim('https://x/order', ['first']); api.idToken.setCustomClaim('amr', ['hacked']);`,
      ),
      action(
        'second',
        `api.accessToken.setCustomClaim('https://x/order', ['first', 'second']); api.accessToken.setCustomClaim('permissions', ['all']); api.accessToken.setCustomClaim('scope-note', event.client.name);`,
      ),
    ]);
    expect(outcome.status).toBe('completed');
    if (outcome.status !== 'completed') return;
    expect(outcome.state.effects.accessTokenClaims).toEqual({
      'https://x/order': ['first', 'second'],
      'scope-note': 'Banking SPA',
    });
    expect(outcome.state.effects.idTokenClaims).toEqual({});
    expect(outcome.mfaRequired).toBe(false);
  });

  it('gives the Action plain objects of its own realm, its secrets and the authentication methods', async () => {
    const outcome = await run([
      action(
        'probe',
        `
        if (!(event.transaction.requested_scopes instanceof Array)) throw new Error('foreign array');
        api.accessToken.setCustomClaim('https://x/probe', {
          secret: event.secrets.STEP_UP_CLIENT_IDS, methods: event.authentication.methods.map((m) => m.name),
          rs: event.resource_server.identifier, protocol: event.transaction.protocol,
        });`,
        { STEP_UP_CLIENT_IDS: 'client-1,client-2' },
      ),
    ]);
    expect(
      outcome.status === 'completed' && outcome.state.effects.accessTokenClaims['https://x/probe'],
    ).toEqual({
      secret: 'client-1,client-2',
      methods: ['pwd'],
      rs: 'https://my-banking-api',
      protocol: 'oidc-basic-profile',
    });
  });

  it('denies with the reason and does not run later Actions', async () => {
    const outcome = await run([
      action('deny', `api.access.deny('No transfers on Sunday');`),
      action('later', `throw new Error('must not run');`),
    ]);
    expect(outcome).toEqual({ status: 'denied', reason: 'No transfers on Sunday' });
  });

  it('fails the login when an Action throws, with the thrown message', async () => {
    const outcome = await run([action('boom', `throw new Error('database unreachable');`)]);
    expect(outcome).toEqual({ status: 'failed', reason: 'database unreachable' });
  });

  it('fails the login when an Action exceeds the time limit, synchronously or asynchronously', async () => {
    const busy = await run([action('busy', `while (true) {}`)], { timeoutMs: 100 });
    expect(busy.status === 'failed' && busy.reason).toMatch(/execution time exceeded/);
    const hanging = await run([action('hang', `await new Promise(() => {});`)], { timeoutMs: 100 });
    expect(hanging.status === 'failed' && hanging.reason).toMatch(/execution time exceeded/);
  });

  it('isolates Actions: fresh globals per execution, require limited to Node built-ins', async () => {
    const outcome = await run([
      action(
        'polluter',
        `globalThis.leak = 'x'; api.accessToken.setCustomClaim('https://x/hash', require('node:crypto').createHash('sha256').update('a').digest('hex').slice(0, 8));`,
      ),
      action(
        'observer',
        `api.accessToken.setCustomClaim('https://x/leak', typeof globalThis.leak); api.accessToken.setCustomClaim('https://x/process', typeof process);`,
      ),
    ]);
    expect(outcome.status === 'completed' && outcome.state.effects.accessTokenClaims).toEqual({
      'https://x/hash': 'ca978112',
      'https://x/leak': 'undefined',
      'https://x/process': 'undefined',
    });
    const npm = await run([action('npm', `require('axios');`)]);
    expect(npm.status === 'failed' && npm.reason).toMatch(/Cannot find module 'axios'/);
  });

  it('pauses after challengeWith and shows the completed MFA to the NEXT Action only', async () => {
    const actions = [
      action(
        'challenge',
        `api.authentication.challengeWith({ type: 'otp' }); api.accessToken.setCustomClaim('https://x/seen-in-same', event.authentication.methods.map((m) => m.name));`,
      ),
      action(
        'evidence',
        `api.accessToken.setCustomClaim('https://x/amr', event.authentication.methods.filter((m) => m.name === 'mfa').map((m) => m.type));`,
      ),
    ];
    const paused = await run(actions);
    expect(paused.status).toBe('challenge');
    if (paused.status !== 'challenge') return;
    expect(paused.factors).toEqual([{ type: 'otp' }]);
    expect(paused.state.effects.accessTokenClaims).toEqual({ 'https://x/seen-in-same': ['pwd'] });
    const resumed = await run(actions, {
      state: recordMfaCompleted(JSON.parse(JSON.stringify(paused.state)), 'otp'),
    });
    expect(resumed.status === 'completed' && resumed.state.effects.accessTokenClaims).toEqual({
      'https://x/seen-in-same': ['pwd'],
      'https://x/amr': ['otp'],
    });
  });

  it('defers multifactor.enable to the end of the flow; "none" skips; done MFA satisfies it', async () => {
    const enable = action('mfa', `api.multifactor.enable('any', { allowRememberBrowser: true });`);
    const after = action('after', `api.accessToken.setCustomClaim('https://x/after', true);`);
    const outcome = await run([enable, after]);
    expect(outcome.status === 'completed' && outcome).toMatchObject({
      mfaRequired: true,
      state: {
        effects: {
          multifactor: { provider: 'any', allowRememberBrowser: true },
          accessTokenClaims: { 'https://x/after': true },
        },
      },
    });
    const skipped = await run([action('skip', `api.multifactor.enable('none');`)]);
    expect(skipped.status === 'completed' && skipped.mfaRequired).toBe(false);
    const bad = await run([action('bad', `api.multifactor.enable('carrier-pigeon');`)]);
    expect(bad.status).toBe('failed');
  });

  it('applies addScope/removeScope in call order', async () => {
    const outcome = await run([
      action(
        'scopes',
        `api.accessToken.removeScope('transfer:funds'); api.accessToken.addScope('read:audit'); api.accessToken.removeScope('read:audit'); api.accessToken.addScope('read:extra');`,
      ),
    ]);
    if (outcome.status !== 'completed') throw new Error(outcome.status);
    expect(
      applyScopeOperations(['openid', 'view:balance', 'transfer:funds'], outcome.state),
    ).toEqual(['openid', 'view:balance', 'read:extra']);
  });

  it('keeps api.cache per Action across executions and enforces its limits', async () => {
    const cache = new ActionCacheRegistry();
    const writer = action(
      'writer',
      `
      const before = api.cache.get('k');
      api.cache.set('k', 'v1');
      api.accessToken.setCustomClaim('https://x/before', before ? before.value : null);
      api.accessToken.setCustomClaim('https://x/too-big', api.cache.set('big', 'x'.repeat(5000)).type);`,
    );
    const other = action(
      'other',
      `api.accessToken.setCustomClaim('https://x/other', api.cache.get('k') ?? null);`,
    );
    await run([writer, other], { cache });
    const second = await run([writer, other], { cache });
    expect(second.status === 'completed' && second.state.effects.accessTokenClaims).toEqual({
      'https://x/before': 'v1',
      'https://x/too-big': 'error',
      'https://x/other': null,
    });
  });

  it('reports canRedirect as the flow allows', async () => {
    const probe = action(
      'redirect',
      `api.accessToken.setCustomClaim('https://x/can', api.redirect.canRedirect());`,
    );
    const outcome = await run([probe], { canRedirect: false });
    expect(
      outcome.status === 'completed' && outcome.state.effects.accessTokenClaims['https://x/can'],
    ).toBe(false);
  });
});

describe('worker-thread executor (used by the server)', () => {
  const executor = new WorkerActionExecutor();
  afterAll(() => executor.close());

  it('runs Actions with the same semantics as in-process', async () => {
    const outcome = await run(
      [
        action(
          'claims',
          `api.accessToken.setCustomClaim('https://x/w', event.user.user_id); api.accessToken.addScope('extra');`,
        ),
      ],
      { executor },
    );
    expect(outcome.status === 'completed' && outcome.state.effects).toMatchObject({
      accessTokenClaims: { 'https://x/w': 'auth0|u1' },
      scopeOperations: [{ op: 'add', scope: 'extra' }],
    });
  });

  it('stops an Action that blocks the thread after an await, then keeps serving', async () => {
    const stuck = await run([action('stuck', `await null; while (true) {}`)], {
      executor,
      timeoutMs: 200,
    });
    expect(stuck.status === 'failed' && stuck.reason).toMatch(/execution time exceeded/);
    const next = await run(
      [action('after', `api.accessToken.setCustomClaim('https://x/alive', true);`)],
      { executor },
    );
    expect(next.status === 'completed' && next.state.effects.accessTokenClaims).toEqual({
      'https://x/alive': true,
    });
  });
});
