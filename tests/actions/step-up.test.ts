// Behaviour of the two step-up Actions, bound in order and each on its own, run the way Auth0 runs them. The same
// cases run against the TypeScript sources and against the esbuild bundles loaded in node:vm, so what we deploy is
// what we tested.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { bundleActions } from '../../actions/bundle.js';
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
const AMR_CLAIM = 'https://my-banking-api/amr';
const MFA_ACR = 'http://schemas.openid.net/pape/policies/2007/06/multi-factor';
const TRANSFER_REQUEST = ['openid', 'profile', 'view:balance', 'transfer:funds'];
const STEP_UP_FACTOR_TYPES = [
  'push-notification',
  'otp',
  'webauthn-roaming',
  'webauthn-platform',
  'phone',
  'recovery-code',
];

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

// The mutation run (mutation/vitest.actions.config.ts) sets STEP_UP_SOURCE_ONLY: a bundle never sees Stryker's
// active mutant, so building and running it there only costs time.
const variants = process.env.STEP_UP_SOURCE_ONLY ? [sourceVariant] : [sourceVariant, bundleVariant];

describe.each(variants)('step-up Actions — $label', (variant) => {
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

  const both = () => actions;
  const challengeOnly = () => actions.slice(0, 1);
  const evidenceOnly = () => actions.slice(1);
  const run = (
    bound: () => NamedAction[],
    overrides: PostLoginEventOverrides,
    options?: FlowOptions,
  ) => runPostLoginFlow(bound(), buildPostLoginEvent(overrides), options);
  const transfer = (
    overrides: PostLoginEventOverrides['transaction'] = {},
  ): PostLoginEventOverrides['transaction'] => ({
    requested_scopes: TRANSFER_REQUEST,
    acr_values: [MFA_ACR],
    ...overrides,
  });
  type Result = Awaited<ReturnType<typeof run>>;
  const expectTransferRemoved = (result: Result, reason: RegExp): void => {
    expect(result.outcome).toBe('completed');
    expect(result.recorder.challenges).toEqual([]);
    expect(result.accessToken?.scopes).not.toContain('transfer:funds');
    expect(result.accessToken?.claims).toEqual({});
    expect(logs.join('\n')).toMatch(reason);
  };

  describe('both Actions in order: a listed client asking for transfer:funds in a browser flow', () => {
    it('is challenged with the step-up factors (never email), then gets transfer:funds and the amr evidence', async () => {
      const result = await run(both, { transaction: transfer() });

      expect(result.outcome).toBe('completed');
      expect(result.recorder.challenges.map((factors) => factors.map((f) => f.type))).toEqual([
        STEP_UP_FACTOR_TYPES,
      ]);
      expect(result.events[1]?.authentication?.methods.map((method) => method.name)).toEqual([
        'pwd',
        'mfa',
      ]);
      expect(result.accessToken?.scopes).toEqual(TRANSFER_REQUEST);
      expect(result.accessToken?.claims).toEqual({ [AMR_CLAIM]: ['pwd', 'mfa'] });
      // No deferred multifactor.enable that could offer "remember this device" at the end of the flow.
      expect(result.deferredMfa).toBeUndefined();
      expect(logs).toEqual([]);
    });

    it('is challenged again in an SSO login minutes after a step-up (an MFA 290 s old is not this login’s)', async () => {
      const sso = { methods: [authMethod('pwd', 400), authMethod('mfa', 290, 'otp')] };
      const passed = await run(both, { transaction: transfer(), authentication: sso });
      expect(passed.recorder.challenges).toHaveLength(1);
      expect(passed.accessToken?.claims).toEqual({ [AMR_CLAIM]: ['mfa'] });

      const failed = await run(
        both,
        { transaction: transfer(), authentication: sso },
        { mfaOutcome: 'fail' },
      );
      expect(failed.outcome).toBe('mfa-failed');
      expect(failed.executed).toEqual(['step-up-challenge']);
      expect(failed.accessToken).toBeUndefined();
    });

    it('three logins in a row with one MFA: each is challenged', async () => {
      for (const age of [10, 100, 290]) {
        const result = await run(both, {
          transaction: transfer(),
          authentication: { methods: [authMethod('pwd', 500), authMethod('mfa', age, 'otp')] },
        });
        expect(result.recorder.challenges).toHaveLength(1);
      }
    });

    it('a remembered browser that satisfies the challenge without recording an MFA gets no transfer:funds', async () => {
      const result = await run(both, { transaction: transfer() }, { mfaOutcome: 'remembered' });
      expect(result.recorder.challenges).toHaveLength(1);
      expect(result.accessToken?.scopes).not.toContain('transfer:funds');
      expect(result.accessToken?.claims).toEqual({});
      expect(logs.join('\n')).toMatch(
        /step-up-evidence: removed transfer:funds: no step-up MFA completed in this transaction/,
      );
    });

    it('a remembered browser that records the original MFA (301 s old) gets no transfer:funds', async () => {
      const result = await run(
        both,
        { transaction: transfer() },
        { mfaOutcome: 'remembered', rememberedMfaAgeSeconds: 301 },
      );
      expect(result.accessToken?.scopes).not.toContain('transfer:funds');
    });

    it('without acr_values=multi-factor it is not challenged and gets no transfer:funds, even with a fresh MFA', async () => {
      const result = await run(both, {
        transaction: transfer({ acr_values: ['urn:other'] }),
        authentication: { methods: [authMethod('pwd', 20), authMethod('mfa', 5, 'otp')] },
      });
      expectTransferRemoved(result, /acr_values does not ask for/);
    });

    it('an MFA passed with email (if the tenant enabled it) is not evidence', async () => {
      const result = await run(both, { transaction: transfer() }, { mfaFactorType: 'email' });
      expect(result.recorder.challenges).toHaveLength(1);
      expect(result.accessToken?.scopes).not.toContain('transfer:funds');
    });

    it('names the evidence claim after the BANKING_API_IDENTIFIER secret', async () => {
      const identifier = 'https://api.bank.example/v2/';
      const result = await run(both, {
        transaction: transfer(),
        resource_server: { identifier },
        secrets: { BANKING_API_IDENTIFIER: identifier },
      });
      expect(result.accessToken?.claims).toEqual({
        'https://api.bank.example/v2/amr': ['pwd', 'mfa'],
      });
    });
  });

  describe('both Actions in order: every other branch removes transfer:funds, the login still succeeds', () => {
    it('for a client not listed in STEP_UP_CLIENT_IDS', async () => {
      const result = await run(both, {
        transaction: transfer(),
        client: { client_id: TEST_OTHER_CLIENT_ID, name: 'Partner portal' },
      });
      expectTransferRemoved(result, /client cli0Other\S* is not in STEP_UP_CLIENT_IDS/);
      expect(result.accessToken?.scopes).toContain('view:balance');
    });

    it.each([
      ['missing', undefined],
      ['empty', ''],
    ])('when STEP_UP_CLIENT_IDS is %s (fail closed)', async (_label, value) => {
      const result = await run(both, {
        transaction: transfer(),
        secrets: { STEP_UP_CLIENT_IDS: value },
      });
      expectTransferRemoved(result, /STEP_UP_CLIENT_IDS is missing or empty/);
    });

    it('from every token when BANKING_API_IDENTIFIER is missing (fail closed)', async () => {
      const result = await run(both, {
        transaction: transfer(),
        secrets: { BANKING_API_IDENTIFIER: undefined },
      });
      expectTransferRemoved(result, /BANKING_API_IDENTIFIER is missing/);
    });

    it('when granted but not requested (a default grant), not challenged', async () => {
      const result = await run(
        both,
        { transaction: { requested_scopes: ['openid', 'view:balance'] } },
        { grantedScopes: ['openid', 'view:balance', 'transfer:funds'] },
      );
      expectTransferRemoved(result, /transfer:funds was not requested/);
      expect(result.accessToken?.scopes).toEqual(['openid', 'view:balance']);
    });

    it('when the transaction has no requested_scopes (never throws)', async () => {
      const result = await run(
        both,
        { transaction: { requested_scopes: undefined, acr_values: undefined, locale: undefined } },
        { grantedScopes: ['view:balance', 'transfer:funds'] },
      );
      expectTransferRemoved(result, /transfer:funds was not requested/);
      expect(result.accessToken?.scopes).toEqual(['view:balance']);
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
        const result = await run(
          both,
          {
            transaction: { protocol, requested_scopes: [], prompt: [] },
            authentication: { methods: [authMethod('pwd', 70), authMethod('mfa', 60, 'otp')] },
          },
          { grantedScopes: ['openid', 'view:balance', 'transfer:funds'] },
        );
        expectTransferRemoved(
          result,
          new RegExp(`cannot show an MFA prompt \\(protocol ${protocol}`),
        );
      },
    );

    it('with prompt=none (silent authentication)', async () => {
      const result = await run(both, {
        transaction: transfer({ prompt: ['none'] }),
        authentication: { methods: [authMethod('pwd', 30), authMethod('mfa', 20, 'otp')] },
      });
      expectTransferRemoved(result, /cannot show an MFA prompt/);
    });

    it('when the event has no transaction', async () => {
      const result = await run(
        both,
        { transaction: undefined },
        { grantedScopes: ['view:balance', 'transfer:funds'] },
      );
      expectTransferRemoved(result, /protocol unknown/);
    });
  });

  describe('tokens for other audiences are untouched', () => {
    it('another audience asking for a scope called transfer:funds', async () => {
      const result = await run(both, {
        transaction: transfer(),
        resource_server: { identifier: 'https://payments.partner.example' },
      });
      expect(result.recorder.calls).toEqual([]);
      expect(result.accessToken?.scopes).toEqual(TRANSFER_REQUEST);
    });

    it('no audience at all (ID token only login)', async () => {
      const result = await run(both, { transaction: transfer(), resource_server: undefined });
      expect(result.recorder.calls).toEqual([]);
    });
  });

  describe('step-up-challenge alone', () => {
    it('challenges a transfer login and sets no claim', async () => {
      const result = await run(challengeOnly, { transaction: transfer() });
      expect(result.recorder.calls).toEqual([
        {
          method: 'authentication.challengeWithAny',
          factors: [
            { type: 'push-notification', options: { otpFallback: true } },
            { type: 'otp' },
            { type: 'webauthn-roaming' },
            { type: 'webauthn-platform' },
            { type: 'phone', options: { preferredMethod: 'both' } },
            { type: 'recovery-code' },
          ],
        },
      ]);
    });

    it('challenges even when a recent MFA is in the event (Auth0 decides "already done in this transaction")', async () => {
      const result = await run(challengeOnly, {
        transaction: transfer(),
        authentication: { methods: [authMethod('pwd', 30), authMethod('mfa', 2, 'otp')] },
      });
      expect(result.recorder.challenges).toHaveLength(1);
    });

    it('removes transfer:funds itself for an unlisted client, with a log line naming the reason', async () => {
      const result = await run(challengeOnly, {
        transaction: transfer(),
        client: { client_id: TEST_OTHER_CLIENT_ID },
      });
      expect(result.recorder.calls).toEqual([
        { method: 'accessToken.removeScope', scope: 'transfer:funds' },
      ]);
      expect(logs).toEqual([
        `step-up-challenge: removed transfer:funds: client ${TEST_OTHER_CLIENT_ID} is not in STEP_UP_CLIENT_IDS`,
      ]);
    });

    it('does nothing for another audience', async () => {
      const result = await run(challengeOnly, {
        transaction: transfer(),
        resource_server: { identifier: 'https://other' },
      });
      expect(result.recorder.calls).toEqual([]);
      expect(logs).toEqual([]);
    });
  });

  describe('step-up-evidence alone (defence in depth)', () => {
    it('removes transfer:funds when no MFA happened (challenge Action unbound)', async () => {
      const result = await run(evidenceOnly, { transaction: transfer() });
      expect(result.recorder.calls).toEqual([
        { method: 'accessToken.removeScope', scope: 'transfer:funds' },
      ]);
      expect(logs).toEqual([
        'step-up-evidence: removed transfer:funds: no step-up MFA completed in this transaction',
      ]);
    });

    it('accepts an MFA 299 s old, refuses one 301 s old', async () => {
      const fresh = await run(evidenceOnly, {
        transaction: transfer(),
        authentication: { methods: [authMethod('pwd', 400), authMethod('mfa', 299, 'otp')] },
      });
      expect(fresh.recorder.calls).toEqual([
        { method: 'accessToken.setCustomClaim', name: AMR_CLAIM, value: ['mfa'] },
      ]);
      const stale = await run(evidenceOnly, {
        transaction: transfer(),
        authentication: { methods: [authMethod('pwd', 400), authMethod('mfa', 301, 'otp')] },
      });
      expect(stale.accessToken?.scopes).not.toContain('transfer:funds');
      expect(stale.accessToken?.claims).toEqual({});
    });

    it('removes with the gate’s own reason for an unlisted client', async () => {
      await run(evidenceOnly, {
        transaction: transfer(),
        client: { client_id: TEST_OTHER_CLIENT_ID },
        authentication: { methods: [authMethod('mfa', 2, 'otp')] },
      });
      expect(logs).toEqual([
        `step-up-evidence: removed transfer:funds: client ${TEST_OTHER_CLIENT_ID} is not in STEP_UP_CLIENT_IDS`,
      ]);
    });

    it('does nothing for another audience, and copes with an event without authentication', async () => {
      const other = await run(evidenceOnly, {
        transaction: transfer(),
        resource_server: { identifier: 'https://other' },
      });
      expect(other.recorder.calls).toEqual([]);
      const bare = await run(evidenceOnly, { transaction: transfer(), authentication: undefined });
      expect(bare.accessToken?.scopes).not.toContain('transfer:funds');
    });
  });

  it('accepts the client anywhere in a comma-separated STEP_UP_CLIENT_IDS', async () => {
    const result = await run(both, {
      transaction: transfer(),
      secrets: { STEP_UP_CLIENT_IDS: ` ${TEST_OTHER_CLIENT_ID} ,${TEST_SPA_CLIENT_ID} , ` },
    });
    expect(result.accessToken?.scopes).toContain('transfer:funds');
  });
});
