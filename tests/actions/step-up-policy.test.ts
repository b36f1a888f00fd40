// Edges of "completed in this transaction": the freshness window, clock skew and the timestamp formats accepted.
import { describe, expect, it } from 'vitest';
import {
  MFA_MAX_AGE_SECONDS,
  decideStepUp,
  methodsCompletedInTransaction,
} from '../../actions/src/lib/step-up-policy.js';
import { buildPostLoginEvent } from '../../actions/testkit/index.js';

const NOW = Date.parse('2026-11-23T17:00:00.000Z');
const at = (secondsBeforeNow: number): string =>
  new Date(NOW - secondsBeforeNow * 1000).toISOString();

describe('methodsCompletedInTransaction', () => {
  it('keeps methods up to MFA_MAX_AGE_SECONDS old and drops older ones', () => {
    const methods = [
      { name: 'pwd', timestamp: at(MFA_MAX_AGE_SECONDS + 1) },
      { name: 'federated', timestamp: at(MFA_MAX_AGE_SECONDS) },
      { name: 'mfa', timestamp: at(1), type: 'otp' },
    ];
    expect(methodsCompletedInTransaction(methods, NOW)).toEqual(['federated', 'mfa']);
  });

  it('tolerates a minute of clock skew into the future, not more', () => {
    expect(methodsCompletedInTransaction([{ name: 'mfa', timestamp: at(-59) }], NOW)).toEqual([
      'mfa',
    ]);
    expect(methodsCompletedInTransaction([{ name: 'mfa', timestamp: at(-61) }], NOW)).toEqual([]);
  });

  it('accepts epoch seconds and milliseconds, rejects unparseable timestamps, lists each name once', () => {
    const methods = [
      { name: 'pwd', timestamp: String(Math.floor((NOW - 10_000) / 1000)) },
      { name: 'mfa', timestamp: String(NOW - 5_000) },
      { name: 'mfa', timestamp: at(2) },
      { name: 'passkey', timestamp: 'not a date' },
    ];
    expect(methodsCompletedInTransaction(methods, NOW)).toEqual(['pwd', 'mfa']);
  });
});

describe('decideStepUp', () => {
  const transferEvent = (methods: { name: string; timestamp: string }[]) =>
    buildPostLoginEvent({
      transaction: { requested_scopes: ['openid', 'transfer:funds'] },
      authentication: { methods },
    });

  it('asks for a challenge when the only MFA is just outside the window', () => {
    expect(
      decideStepUp(transferEvent([{ name: 'mfa', timestamp: at(MFA_MAX_AGE_SECONDS + 1) }]), NOW),
    ).toEqual({ kind: 'challenge' });
  });

  it('allows transfer with the evidence claim when MFA is inside the window', () => {
    expect(
      decideStepUp(
        transferEvent([
          { name: 'pwd', timestamp: at(30) },
          { name: 'mfa', timestamp: at(3) },
        ]),
        NOW,
      ),
    ).toEqual({
      kind: 'allow-transfer',
      amrClaim: 'https://my-banking-api/amr',
      methods: ['pwd', 'mfa'],
    });
  });

  it('trims the identifier secret and compares it exactly with the requested audience', () => {
    const event = buildPostLoginEvent({
      transaction: { requested_scopes: ['transfer:funds'] },
      secrets: { BANKING_API_IDENTIFIER: '  https://my-banking-api ' },
      resource_server: { identifier: 'https://my-banking-api/' },
    });
    expect(decideStepUp(event, NOW)).toEqual({ kind: 'not-applicable' });
  });
});
