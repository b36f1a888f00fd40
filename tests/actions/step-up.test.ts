// Behaviour of the two step-up Actions, bound in order, run the way Auth0 runs them. The same cases run against
// the TypeScript sources and against the esbuild bundles loaded in node:vm, so what we deploy is what we tested.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { bundleActions } from '../../actions/bundle.js';
import { DEFAULT_BANKING_API_IDENTIFIER, SECRET_NAMES } from '../../actions/src/lib/banking-api.js';
import * as challengeSource from '../../actions/src/step-up-challenge.js';
import * as evidenceSource from '../../actions/src/step-up-evidence.js';
import {
  TEST_OTHER_CLIENT_ID,
  TEST_SPA_CLIENT_ID,
  authMethod,
  buildPostLoginEvent,
  loadPostLoginAction,
  runPostLoginFlow,
  type ActionConsole,
  type FlowOptions,
  type NamedAction,
  type PostLoginEventOverrides,
} from '../../actions/testkit/index.js';
import type { TransactionProtocol } from '../../actions/types/post-login.js';

const ACTION_ORDER = ['step-up-challenge', 'step-up-evidence'] as const;
const AMR_CLAIM = `${DEFAULT_BANKING_API_IDENTIFIER}/amr`;
const TRANSFER_REQUEST = ['openid', 'profile', 'view:balance', 'transfer:funds'];

interface Variant {
  label: string;
  load(log: (line: string) => void): Promise<{ actions: NamedAction[]; cleanup(): Promise<void> }>;
}

const sourceVariant: Variant = {
  label: 'TypeScript source',
  async load(log) {
    const spy = vi
      .spyOn(console, 'log')
      .mockImplementation((...args: unknown[]) => log(args.join(' ')));
    const actions = [
      { name: 'step-up-challenge', onExecutePostLogin: challengeSource.onExecutePostLogin },
      { name: 'step-up-evidence', onExecutePostLogin: evidenceSource.onExecutePostLogin },
    ];
    return { actions, cleanup: async () => spy.mockRestore() };
  },
};

const bundleVariant: Variant = {
  label: 'esbuild bundle in node:vm',
  async load(log) {
    const outDir = await mkdtemp(join(tmpdir(), 'actions-bundle-'));
    const bundles = await bundleActions({ outDir });
    const sink = (...args: unknown[]): void => log(args.join(' '));
    const actionConsole: ActionConsole = {
      log: sink,
      info: sink,
      warn: sink,
      error: sink,
      debug: sink,
    };
    const actions = ACTION_ORDER.map((name) => {
      const bundle = bundles.find((candidate) => candidate.name === name);
      if (!bundle) throw new Error(`no bundle named ${name}`);
      return {
        name,
        onExecutePostLogin: loadPostLoginAction(bundle.code, {
          filename: `${name}.js`,
          console: actionConsole,
        }),
      };
    });
    return { actions, cleanup: () => rm(outDir, { recursive: true, force: true }) };
  },
};

describe.each([sourceVariant, bundleVariant])('step-up Actions — $label', (variant) => {
  let actions: NamedAction[] = [];
  let cleanup: () => Promise<void> = async () => {};
  const logs: string[] = [];

  beforeAll(async () => {
    ({ actions, cleanup } = await variant.load((line) => logs.push(line)));
    expect(actions.map((action) => action.name)).toEqual([...ACTION_ORDER]);
  });
  afterAll(() => cleanup());
  beforeEach(() => {
    logs.length = 0;
  });

  const run = (overrides: PostLoginEventOverrides, options?: FlowOptions) =>
    runPostLoginFlow(actions, buildPostLoginEvent(overrides), options);
  const transfer = (
    overrides: PostLoginEventOverrides['transaction'] = {},
  ): PostLoginEventOverrides['transaction'] => ({
    requested_scopes: TRANSFER_REQUEST,
    ...overrides,
  });

  describe('listed client asking for transfer:funds in a browser flow', () => {
    it('challenges with any enrolled factor, then the token carries transfer:funds and the amr evidence', async () => {
      const result = await run({ transaction: transfer() });

      expect(result.outcome).toBe('completed');
      expect(result.recorder.challenges).toHaveLength(1);
      expect(result.recorder.challenges[0]?.map((factor) => factor.type)).toEqual(
        expect.arrayContaining([
          'otp',
          'push-notification',
          'phone',
          'email',
          'webauthn-roaming',
          'webauthn-platform',
        ]),
      );
      expect(result.events[1]?.authentication?.methods.map((method) => method.name)).toEqual([
        'pwd',
        'mfa',
      ]);
      expect(result.accessToken?.scopes).toContain('transfer:funds');
      expect(result.accessToken?.claims[AMR_CLAIM]).toEqual(['pwd', 'mfa']);
      // The browser is never remembered: no deferred multifactor.enable that could offer "remember this device".
      expect(result.deferredMfa).toBeUndefined();
    });

    it('does not re-challenge when MFA was already completed in this transaction', async () => {
      const result = await run({
        transaction: transfer(),
        authentication: { methods: [authMethod('pwd', 40), authMethod('mfa', 10, 'otp')] },
      });

      expect(result.recorder.challenges).toEqual([]);
      expect(result.accessToken?.scopes).toContain('transfer:funds');
      expect(result.accessToken?.claims[AMR_CLAIM]).toEqual(['pwd', 'mfa']);
    });

    it('re-challenges when the only MFA is an old one carried by the SSO session', async () => {
      const result = await run({
        transaction: transfer(),
        authentication: { methods: [authMethod('pwd', 7200), authMethod('mfa', 7100, 'otp')] },
      });

      expect(result.recorder.challenges).toHaveLength(1);
      // Only what happened in this transaction is evidence: the fresh mfa, not the session's old password.
      expect(result.accessToken?.claims[AMR_CLAIM]).toEqual(['mfa']);
    });

    it('treats an unparseable method timestamp as no evidence and challenges', async () => {
      const result = await run({
        transaction: transfer(),
        authentication: {
          methods: [authMethod('pwd', 5), { name: 'mfa', timestamp: 'yesterday-ish' }],
        },
      });
      expect(result.recorder.challenges).toHaveLength(1);
      expect(result.accessToken?.claims[AMR_CLAIM]).toEqual(['pwd', 'mfa']);
    });

    it('accepts the client anywhere in a comma-separated, space-padded STEP_UP_CLIENT_IDS', async () => {
      const result = await run({
        transaction: transfer(),
        secrets: {
          [SECRET_NAMES.stepUpClientIds]: ` ${TEST_OTHER_CLIENT_ID} ,${TEST_SPA_CLIENT_ID} , `,
        },
      });
      expect(result.recorder.challenges).toHaveLength(1);
      expect(result.accessToken?.scopes).toContain('transfer:funds');
    });

    it('issues no token when the user fails the challenge', async () => {
      const result = await run({ transaction: transfer() }, { mfaOutcome: 'fail' });
      expect(result.outcome).toBe('mfa-failed');
      expect(result.executed).toEqual(['step-up-challenge']);
      expect(result.accessToken).toBeUndefined();
    });

    it('names the evidence claim after the BANKING_API_IDENTIFIER secret', async () => {
      const identifier = 'https://api.bank.example/v2/';
      const result = await run({
        transaction: transfer(),
        resource_server: { identifier },
        secrets: { [SECRET_NAMES.bankingApiIdentifier]: identifier },
        authentication: {
          methods: [authMethod('pwd', 30), authMethod('mfa', 5, 'push-notification')],
        },
      });
      expect(result.accessToken?.claims).toEqual({
        'https://api.bank.example/v2/amr': ['pwd', 'mfa'],
      });
    });
  });

  describe('transfer:funds is removed, the login still succeeds (balance stays readable)', () => {
    const expectTransferRemoved = (
      result: Awaited<ReturnType<typeof run>>,
      reason: RegExp,
    ): void => {
      expect(result.outcome).toBe('completed');
      expect(result.recorder.challenges).toEqual([]);
      expect(result.accessToken?.scopes).not.toContain('transfer:funds');
      expect(result.accessToken?.scopes).toContain('view:balance');
      expect(result.accessToken?.claims).toEqual({});
      expect(logs.join('\n')).toMatch(reason);
    };

    it('for a client not listed in STEP_UP_CLIENT_IDS', async () => {
      const result = await run({
        transaction: transfer(),
        client: { client_id: TEST_OTHER_CLIENT_ID, name: 'Partner portal' },
      });
      expectTransferRemoved(result, /not in STEP_UP_CLIENT_IDS/);
    });

    it.each([
      ['missing', undefined],
      ['empty', ''],
      ['only separators', ' , ,'],
    ])('when STEP_UP_CLIENT_IDS is %s (fail closed)', async (_label, value) => {
      const result = await run({
        transaction: transfer(),
        secrets: { [SECRET_NAMES.stepUpClientIds]: value },
      });
      expectTransferRemoved(result, /STEP_UP_CLIENT_IDS is missing or empty/);
    });

    it('when BANKING_API_IDENTIFIER is missing (fail closed)', async () => {
      const result = await run({
        transaction: transfer(),
        secrets: { [SECRET_NAMES.bankingApiIdentifier]: undefined },
      });
      expectTransferRemoved(result, /BANKING_API_IDENTIFIER is missing/);
    });

    it.each<TransactionProtocol>([
      'oauth2-refresh-token',
      'oauth2-resource-owner',
      'oauth2-password',
      'oauth2-token-exchange',
      'oauth2-device-code',
      'oidc-ciba',
    ])(
      'in a %s flow, even with a recent MFA and without asking for the scope',
      async (protocol) => {
        // A refresh token or password grant can carry transfer:funds without requesting it (originally granted /
        // all API scopes), and its methods are the ORIGINAL login's — an MFA a minute ago is not this transaction's.
        const result = await run(
          {
            transaction: { protocol, requested_scopes: [], prompt: [] },
            authentication: { methods: [authMethod('pwd', 70), authMethod('mfa', 60, 'otp')] },
          },
          { grantedScopes: ['openid', 'view:balance', 'transfer:funds'] },
        );
        expectTransferRemoved(result, /cannot show an MFA prompt/);
      },
    );

    it('with prompt=none (silent authentication)', async () => {
      const result = await run({
        transaction: transfer({ prompt: ['none'] }),
        authentication: { methods: [authMethod('pwd', 30), authMethod('mfa', 20, 'otp')] },
      });
      expectTransferRemoved(result, /cannot show an MFA prompt/);
    });

    it('when the event has no transaction', async () => {
      const result = await run(
        { transaction: undefined },
        { grantedScopes: ['view:balance', 'transfer:funds'] },
      );
      expectTransferRemoved(result, /protocol unknown/);
    });
  });

  describe('tokens that are none of our business are untouched', () => {
    it('another audience asking for a scope called transfer:funds', async () => {
      const result = await run({
        transaction: transfer(),
        resource_server: { identifier: 'https://payments.partner.example' },
      });
      expect(result.recorder.calls).toEqual([]);
      expect(result.accessToken?.scopes).toEqual(TRANSFER_REQUEST);
    });

    it('no audience at all (ID token only login)', async () => {
      const result = await run({ transaction: transfer(), resource_server: undefined });
      expect(result.recorder.calls).toEqual([]);
    });

    it('view:balance only', async () => {
      const result = await run({});
      expect(result.recorder.calls).toEqual([]);
      expect(result.accessToken?.scopes).toEqual(['openid', 'profile', 'view:balance']);
      expect(result.accessToken?.claims).toEqual({});
    });
  });

  describe('step-up-evidence on its own (defence in depth)', () => {
    const evidenceOnly = (overrides: PostLoginEventOverrides) =>
      runPostLoginFlow(actions.slice(1), buildPostLoginEvent(overrides));

    it('removes transfer:funds when it was requested but no MFA happened (challenge Action unbound)', async () => {
      const result = await evidenceOnly({ transaction: transfer() });
      expect(result.accessToken?.scopes).not.toContain('transfer:funds');
      expect(result.accessToken?.claims).toEqual({});
      expect(logs.join('\n')).toMatch(
        /step-up-evidence: removed transfer:funds: no MFA completed in this transaction/,
      );
    });

    it('removes transfer:funds when the only MFA is a stale one', async () => {
      const result = await evidenceOnly({
        transaction: transfer(),
        authentication: { methods: [authMethod('pwd', 3600), authMethod('mfa', 3500, 'otp')] },
      });
      expect(result.accessToken?.scopes).not.toContain('transfer:funds');
    });

    it('sets the evidence claim when MFA completed in this transaction', async () => {
      const result = await evidenceOnly({
        transaction: transfer(),
        authentication: { methods: [authMethod('pwd', 30), authMethod('mfa', 2, 'otp')] },
      });
      expect(result.recorder.calls).toEqual([
        { method: 'accessToken.setCustomClaim', name: AMR_CLAIM, value: ['pwd', 'mfa'] },
      ]);
    });
  });
});
