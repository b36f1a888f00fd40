// The test kit models Auth0's semantics the Actions rely on; these tests pin those semantics down.
import { describe, expect, it } from 'vitest';
import {
  RESTRICTED_CLAIM_NAMES,
  TEST_SPA_CLIENT_ID,
  buildPostLoginEvent,
  createApiRecorder,
  runPostLoginFlow,
  type NamedAction,
} from '../../actions/testkit/index.js';
import type { PostLoginEvent } from '../../actions/types/post-login.js';

const methodNames = (event: PostLoginEvent | undefined): string[] =>
  event?.authentication?.methods.map((method) => method.name) ?? [];

describe('api recorder', () => {
  it('silently drops restricted claim names on both tokens and keeps namespaced ones', () => {
    const recorder = createApiRecorder();
    recorder.api.accessToken.setCustomClaim('amr', ['mfa']);
    recorder.api.accessToken.setCustomClaim(
      'acr',
      'http://schemas.openid.net/pape/policies/2007/06/multi-factor',
    );
    recorder.api.accessToken.setCustomClaim('https://my-banking-api/amr', ['pwd', 'mfa']);
    recorder.api.accessToken.setCustomClaim('scope', 'not restricted');
    recorder.api.idToken.setCustomClaim('sub', 'auth0|someone-else');
    recorder.api.idToken.setCustomClaim('https://bank.example/tier', 'gold');

    expect(recorder.accessToken.claims).toEqual({
      'https://my-banking-api/amr': ['pwd', 'mfa'],
      scope: 'not restricted',
    });
    expect(recorder.accessToken.droppedClaims).toEqual(['amr', 'acr']);
    expect(recorder.idToken.claims).toEqual({ 'https://bank.example/tier': 'gold' });
    expect(recorder.idToken.droppedClaims).toEqual(['sub']);
    expect(recorder.calls).toHaveLength(6);
  });

  it('knows every restricted name Auth0 documents', () => {
    for (const name of [
      'amr',
      'acr',
      'aud',
      'azp',
      'auth_time',
      'exp',
      'iat',
      'iss',
      'jti',
      'nbf',
      'sub',
      'gty',
      'permissions',
      'roles',
      'org_id',
      'org_name',
      'sid',
      'nonce',
      'cnf',
      'client_id',
      'act',
    ]) {
      expect(RESTRICTED_CLAIM_NAMES.has(name), name).toBe(true);
    }
    expect(RESTRICTED_CLAIM_NAMES.has('scope')).toBe(false);
  });

  it('applies scope changes in call order and records deny, MFA and challenges', () => {
    const recorder = createApiRecorder(['openid', 'view:balance', 'transfer:funds']);
    recorder.api.accessToken.removeScope('transfer:funds');
    recorder.api.accessToken.addScope('read:statements');
    recorder.api.accessToken.addScope('read:statements');
    recorder.api.multifactor.enable('any', { allowRememberBrowser: false });
    recorder.api.authentication.challengeWith(
      { type: 'otp' },
      { additionalFactors: [{ type: 'email' }] },
    );
    recorder.api.authentication.challengeWithAny([
      { type: 'phone', options: { preferredMethod: 'sms' } },
    ]);
    recorder.api.access.deny('first');
    recorder.api.access.deny('second');

    expect(recorder.accessToken.scopes).toEqual(['openid', 'view:balance', 'read:statements']);
    expect(recorder.multifactor).toEqual({
      provider: 'any',
      options: { allowRememberBrowser: false },
    });
    expect(recorder.challenges).toEqual([
      [{ type: 'otp' }, { type: 'email' }],
      [{ type: 'phone', options: { preferredMethod: 'sms' } }],
    ]);
    expect(recorder.deniedReason).toBe('first');
  });
});

describe('event builder', () => {
  it('has realistic defaults: password login of a listed client to the banking API', () => {
    const event = buildPostLoginEvent();
    expect(event.client.client_id).toBe(TEST_SPA_CLIENT_ID);
    expect(event.transaction?.protocol).toBe('oidc-basic-profile');
    expect(event.transaction?.requested_scopes).toEqual(['openid', 'profile', 'view:balance']);
    expect(methodNames(event)).toEqual(['pwd']);
    expect(Date.now() - Date.parse(event.authentication?.methods[0]?.timestamp ?? '')).toBeLessThan(
      60_000,
    );
    expect(event.resource_server?.identifier).toBe('https://my-banking-api');
    expect(event.secrets).toEqual({
      BANKING_API_IDENTIFIER: 'https://my-banking-api',
      STEP_UP_CLIENT_IDS: TEST_SPA_CLIENT_ID,
    });
    expect(event.stats.logins_count).toBeGreaterThan(0);
    expect(event.request.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it('merges overrides per field and removes a field overridden with undefined', () => {
    const event = buildPostLoginEvent({
      transaction: { protocol: 'oauth2-refresh-token' },
      resource_server: undefined,
    });
    expect(event.transaction?.protocol).toBe('oauth2-refresh-token');
    expect(event.transaction?.requested_scopes).toEqual(['openid', 'profile', 'view:balance']);
    expect('resource_server' in event).toBe(false);
    expect(buildPostLoginEvent().resource_server).toBeDefined(); // defaults are fresh per call
  });
});

describe('flow runner', () => {
  const observer = (name: string): NamedAction => ({ name, onExecutePostLogin: async () => {} });

  it('shows a challengeWith* result to the NEXT Action as an mfa method', async () => {
    const challenger: NamedAction = {
      name: 'challenger',
      onExecutePostLogin: async (_event, api) =>
        api.authentication.challengeWith({ type: 'push-notification' }),
    };
    const result = await runPostLoginFlow([challenger, observer('next')], buildPostLoginEvent());

    expect(methodNames(result.events[0])).toEqual(['pwd']);
    expect(result.events[1]?.authentication?.methods.at(-1)).toMatchObject({
      name: 'mfa',
      type: 'push-notification',
    });
    expect(result.outcome).toBe('completed');
  });

  it('defers multifactor.enable to the end: no later Action sees mfa', async () => {
    const enabler: NamedAction = {
      name: 'enabler',
      onExecutePostLogin: async (_event, api) =>
        api.multifactor.enable('any', { allowRememberBrowser: false }),
    };
    const result = await runPostLoginFlow([enabler, observer('next')], buildPostLoginEvent());

    expect(methodNames(result.events[1])).toEqual(['pwd']);
    expect(result.deferredMfa).toEqual({
      provider: 'any',
      options: { allowRememberBrowser: false },
    });
  });

  it('stops at deny: later Actions do not run and no token is issued', async () => {
    const denier: NamedAction = {
      name: 'denier',
      onExecutePostLogin: async (_event, api) => api.access.deny('blocked'),
    };
    const result = await runPostLoginFlow([denier, observer('never')], buildPostLoginEvent());

    expect(result.outcome).toBe('denied');
    expect(result.executed).toEqual(['denier']);
    expect(result.accessToken).toBeUndefined();
  });

  it('gives each Action its own copy of the event', async () => {
    const mutator: NamedAction = {
      name: 'mutator',
      onExecutePostLogin: async (event) => {
        event.client.client_id = 'tampered';
      },
    };
    const result = await runPostLoginFlow([mutator, observer('next')], buildPostLoginEvent());
    expect(result.events[1]?.client.client_id).toBe(TEST_SPA_CLIENT_ID);
  });
});
