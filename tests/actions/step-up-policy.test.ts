// Edges of the shared step-up decision: literal window boundaries, clock skew, timestamp formats, factor types,
// and every gate branch. Literal numbers on purpose: a test written as `MAX - 1` follows a wrong constant.
import { describe, expect, it } from 'vitest';
import {
  STEP_UP_FACTORS,
  stepUpEvidence,
  stepUpGate,
} from '../../actions/src/lib/step-up-policy.js';
import { buildPostLoginEvent, type PostLoginEventOverrides } from '../../actions/testkit/index.js';
import * as contract from '../../lib/banking-api-contract.js';
import type { AuthenticationMethod, PostLoginEvent } from '../../actions/types/post-login.js';

const NOW = Date.parse('2026-11-23T17:00:00.000Z');
const MFA_ACR = 'http://schemas.openid.net/pape/policies/2007/06/multi-factor';
const at = (secondsBeforeNow: number): string =>
  new Date(NOW - secondsBeforeNow * 1000).toISOString();
const mfa = (secondsBeforeNow: number, type = 'otp'): AuthenticationMethod => ({
  name: 'mfa',
  timestamp: at(secondsBeforeNow),
  type,
});

describe('stepUpEvidence: what counts as completed in this login', () => {
  it('accepts an MFA 299 s and 300 s old, refuses one 301 s old', () => {
    expect(stepUpEvidence([mfa(299)], NOW)).toEqual(['mfa']);
    expect(stepUpEvidence([mfa(300)], NOW)).toEqual(['mfa']);
    expect(stepUpEvidence([mfa(301)], NOW)).toEqual([]);
  });

  it('refuses an MFA from an earlier login kept in the SSO session (290 s window is not "minutes ago")', () => {
    expect(stepUpEvidence([{ name: 'pwd', timestamp: at(3600) }, mfa(3000)], NOW)).toEqual([]);
  });

  it('tolerates 60 s of clock skew into the future, not 61 s', () => {
    expect(stepUpEvidence([mfa(-60)], NOW)).toEqual(['mfa']);
    expect(stepUpEvidence([mfa(-61)], NOW)).toEqual([]);
  });

  it('lists each fresh method name once, in event order, with non-mfa methods needing no type', () => {
    const methods = [
      { name: 'pwd', timestamp: at(400) },
      { name: 'federated', timestamp: at(40) },
      mfa(5),
      mfa(2, 'push-notification'),
    ];
    expect(stepUpEvidence(methods, NOW)).toEqual(['federated', 'mfa']);
  });

  it.each(['otp', 'push-notification', 'webauthn-roaming', 'webauthn-platform', 'phone', 'sms'])(
    'counts an mfa completed with %s',
    (type) => expect(stepUpEvidence([mfa(3, type)], NOW)).toEqual(['mfa']),
  );
  it.each(['voice', 'recovery-code'])('counts an mfa completed with %s', (type) =>
    expect(stepUpEvidence([mfa(3, type)], NOW)).toEqual(['mfa']),
  );

  it('never counts an email MFA, an mfa without a type, or an unknown type', () => {
    expect(stepUpEvidence([mfa(3, 'email')], NOW)).toEqual([]);
    expect(stepUpEvidence([{ name: 'mfa', timestamp: at(3) }], NOW)).toEqual([]);
    expect(stepUpEvidence([mfa(3, 'duo')], NOW)).toEqual([]);
  });

  it('reads epoch seconds and epoch milliseconds', () => {
    const seconds = String(Math.floor((NOW - 10_000) / 1000));
    expect(stepUpEvidence([{ name: 'pwd', timestamp: seconds }], NOW)).toEqual(['pwd']);
    expect(stepUpEvidence([{ name: 'pwd', timestamp: String(NOW - 400_000) }], NOW)).toEqual([]);
    expect(stepUpEvidence([{ name: 'pwd', timestamp: ` ${NOW - 5_000} ` }], NOW)).toEqual(['pwd']);
    // 1e12 ms is 2001-09-09; just below it the value is read as seconds (far future → refused).
    expect(stepUpEvidence([{ name: 'pwd', timestamp: '999999999999' }], 1e12 + 1000)).toEqual([]);
    expect(stepUpEvidence([{ name: 'pwd', timestamp: '1000000000000' }], 1e12 + 1000)).toEqual([
      'pwd',
    ]);
  });

  it('treats text that merely ends or starts in digits as a date string, not as an epoch', () => {
    // "+0100"-style suffixes must not be read as epoch numbers; unparseable text is no evidence.
    expect(stepUpEvidence([{ name: 'pwd', timestamp: 'x1700000000' }], NOW)).toEqual([]);
    expect(stepUpEvidence([{ name: 'pwd', timestamp: '1700000000x' }], NOW)).toEqual([]);
    expect(stepUpEvidence([{ name: 'pwd', timestamp: 'yesterday-ish' }], NOW)).toEqual([]);
    expect(stepUpEvidence([{ name: 'pwd', timestamp: '2026-11-23T17:59:00+01:00' }], NOW)).toEqual([
      'pwd',
    ]);
  });
});

describe('stepUpGate', () => {
  const transfer = (overrides: PostLoginEventOverrides = {}): PostLoginEvent =>
    buildPostLoginEvent({
      ...overrides,
      transaction: {
        requested_scopes: ['openid', 'transfer:funds'],
        acr_values: [MFA_ACR],
        ...overrides.transaction,
      },
    });
  const removed = (reason: string) => ({ kind: 'remove-transfer', reason });

  it('steps up a listed client that asks for transfer:funds with acr_values=multi-factor', () => {
    expect(stepUpGate(transfer())).toEqual({
      kind: 'step-up',
      bankingApi: 'https://my-banking-api',
    });
  });

  it('trims the identifier secret, then compares it exactly with the audience', () => {
    const padded = { BANKING_API_IDENTIFIER: '  https://my-banking-api ' };
    expect(stepUpGate(transfer({ secrets: padded }))).toMatchObject({ kind: 'step-up' });
    expect(
      stepUpGate(transfer({ resource_server: { identifier: 'https://my-banking-api/' } })),
    ).toEqual({ kind: 'not-applicable' });
  });

  it('removes from every token when the identifier secret is missing or blank', () => {
    for (const value of [undefined, '', '   ']) {
      const event = transfer({ secrets: { BANKING_API_IDENTIFIER: value } });
      expect(stepUpGate(event)).toEqual(removed('secret BANKING_API_IDENTIFIER is missing'));
      expect(stepUpGate({ ...event, resource_server: undefined })).toMatchObject({
        kind: 'remove-transfer',
      });
    }
  });

  it('leaves tokens for other audiences and tokens without an audience alone', () => {
    expect(stepUpGate(transfer({ resource_server: { identifier: 'https://other' } }))).toEqual({
      kind: 'not-applicable',
    });
    expect(stepUpGate(transfer({ resource_server: undefined }))).toEqual({
      kind: 'not-applicable',
    });
  });

  it.each(['oidc-basic-profile', 'oidc-implicit-profile', 'oidc-hybrid-profile'] as const)(
    'steps up in the browser flow %s',
    (protocol) => {
      expect(stepUpGate(transfer({ transaction: { protocol } }))).toMatchObject({
        kind: 'step-up',
      });
    },
  );

  it('removes for a flow that cannot prompt, naming the protocol', () => {
    expect(stepUpGate(transfer({ transaction: { protocol: 'oauth2-refresh-token' } }))).toEqual(
      removed('flow cannot show an MFA prompt (protocol oauth2-refresh-token)'),
    );
    expect(stepUpGate(transfer({ transaction: { protocol: undefined } }))).toEqual(
      removed('flow cannot show an MFA prompt (protocol unknown)'),
    );
    expect(stepUpGate(transfer({ transaction: { prompt: ['login', 'none'] } }))).toEqual(
      removed('flow cannot show an MFA prompt (protocol oidc-basic-profile)'),
    );
    expect(stepUpGate({ ...transfer(), transaction: undefined })).toEqual(
      removed('flow cannot show an MFA prompt (protocol unknown)'),
    );
  });

  it('steps up when prompt is absent or asks for login', () => {
    expect(stepUpGate(transfer({ transaction: { prompt: undefined } }))).toMatchObject({
      kind: 'step-up',
    });
    expect(stepUpGate(transfer({ transaction: { prompt: ['login'] } }))).toMatchObject({
      kind: 'step-up',
    });
  });

  it('removes (granted-not-requested) when transfer:funds was not requested, or requested_scopes is absent', () => {
    const reason = removed('transfer:funds was not requested');
    expect(stepUpGate(transfer({ transaction: { requested_scopes: ['view:balance'] } }))).toEqual(
      reason,
    );
    expect(stepUpGate(transfer({ transaction: { requested_scopes: undefined } }))).toEqual(reason);
  });

  it('removes for an unlisted client, and when the client list is missing or only separators', () => {
    expect(stepUpGate(transfer({ client: { client_id: 'someone-else' } }))).toEqual(
      removed('client someone-else is not in STEP_UP_CLIENT_IDS'),
    );
    for (const value of [undefined, '', ' , ,']) {
      expect(stepUpGate(transfer({ secrets: { STEP_UP_CLIENT_IDS: value } }))).toEqual(
        removed('secret STEP_UP_CLIENT_IDS is missing or empty'),
      );
    }
  });

  it('finds the client anywhere in a comma-separated, space-padded list', () => {
    const event = transfer();
    const list = ` other , ${event.client.client_id} ,`;
    expect(stepUpGate(transfer({ secrets: { STEP_UP_CLIENT_IDS: list } }))).toMatchObject({
      kind: 'step-up',
    });
  });

  it('removes when acr_values does not ask for the multi-factor policy, or is absent', () => {
    const reason = removed(`acr_values does not ask for ${MFA_ACR}`);
    expect(stepUpGate(transfer({ transaction: { acr_values: [] } }))).toEqual(reason);
    expect(stepUpGate(transfer({ transaction: { acr_values: undefined } }))).toEqual(reason);
  });
});

describe('STEP_UP_FACTORS', () => {
  it('offers OTP, push (with OTP fallback), both WebAuthn kinds, phone (SMS or voice) and recovery codes — never email', () => {
    expect(STEP_UP_FACTORS).toEqual([
      { type: 'push-notification', options: { otpFallback: true } },
      { type: 'otp' },
      { type: 'webauthn-roaming' },
      { type: 'webauthn-platform' },
      { type: 'phone', options: { preferredMethod: 'both' } },
      { type: 'recovery-code' },
    ]);
  });
});

describe('the banking API contract the Actions bundle in', () => {
  it('names the API, its scopes, the acr value, the window, the secrets and the binding order', () => {
    expect({
      ...contract,
      amrClaimName: undefined,
      partnerClaimName: undefined,
      isPartnerMetadata: undefined,
    }).toEqual({
      BANKING_API_IDENTIFIER: 'https://my-banking-api',
      VIEW_BALANCE_SCOPE: 'view:balance',
      TRANSFER_FUNDS_SCOPE: 'transfer:funds',
      MFA_ACR_VALUE: 'http://schemas.openid.net/pape/policies/2007/06/multi-factor',
      STEP_UP_MAX_AGE_SECONDS: 300,
      STEP_UP_SECRET_NAMES: {
        bankingApiIdentifier: 'BANKING_API_IDENTIFIER',
        stepUpClientIds: 'STEP_UP_CLIENT_IDS',
      },
      STEP_UP_ACTION_ORDER: ['step-up-challenge', 'step-up-evidence'],
      PARTNER_METADATA: {
        marker: 'partner',
        status: 'partner_status',
        createdAt: 'partner_created_at',
      },
      PARTNER_STATUSES: ['active', 'suspended'],
      PARTNER_ALLOWED_SCOPES: ['view:balance'],
      PARTNER_ACCESS_ACTION: 'partner-access',
      amrClaimName: undefined,
      partnerClaimName: undefined,
      isPartnerMetadata: undefined,
    });
  });

  it('names the partner claim under the identifier and recognises partners by their metadata', () => {
    expect(contract.partnerClaimName('https://my-banking-api/')).toBe(
      'https://my-banking-api/partner_id',
    );
    expect(contract.partnerClaimName('https://api.example/v2//')).toBe(
      'https://api.example/v2/partner_id',
    );
    expect(contract.isPartnerMetadata({ partner: 'true' })).toBe(true);
    expect(contract.isPartnerMetadata({ partner: 'yes' })).toBe(false);
    expect(contract.isPartnerMetadata(undefined)).toBe(false);
  });

  it('namespaces the amr claim under the identifier without its trailing slashes', () => {
    expect(contract.amrClaimName('https://my-banking-api')).toBe('https://my-banking-api/amr');
    expect(contract.amrClaimName('https://api.example/v2//')).toBe('https://api.example/v2/amr');
  });
});
