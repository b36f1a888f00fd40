// Scope and step-up rules as pure functions (the HTTP behaviour is in rules.test.ts). Literal numbers on purpose:
// 300 s is the contract's window, written out so a changed constant fails here.
import { describe, expect, it } from 'vitest';
import {
  SCOPES,
  STEP_UP_MAX_AGE_SECONDS,
  hasMfaEvidence,
  mfaClaimName,
  requireScope,
  requireStepUp,
} from '../../banking-api/authorization.js';
import { ApiError } from '../../banking-api/errors.js';
import type { Principal } from '../../banking-api/principal.js';

const AUDIENCE = 'https://my-banking-api';
const MFA_ACR = 'http://schemas.openid.net/pape/policies/2007/06/multi-factor';
const NOW = 1_800_000_000;

function principal(claims: Record<string, unknown>, extra: Partial<Principal> = {}): Principal {
  return {
    subject: 'auth0|u',
    callerId: 'auth0|u',
    callerType: 'user',
    scopes: new Set(['view:balance', 'transfer:funds']),
    claims,
    issuedAt: NOW - 10,
    source: 'jwt',
    ...extra,
  };
}

function thrown(run: () => void): ApiError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error('expected an ApiError');
}

describe('contract values', () => {
  it('uses the scope names and the 300 s window of the banking API contract', () => {
    expect(SCOPES).toEqual({ viewBalance: 'view:balance', transferFunds: 'transfer:funds' });
    expect(STEP_UP_MAX_AGE_SECONDS).toBe(300);
    expect(mfaClaimName('https://my-banking-api')).toBe('https://my-banking-api/amr');
    expect(mfaClaimName('https://api.example/v2//')).toBe('https://api.example/v2/amr');
  });
});

describe('requireScope', () => {
  it('passes an exact scope and answers 403 insufficient_scope naming the missing one', () => {
    expect(() => requireScope(principal({}), 'view:balance')).not.toThrow();
    const error = thrown(() => requireScope(principal({}), 'read:audit'));
    expect(error).toMatchObject({
      statusCode: 403,
      code: 'insufficient_scope',
      challenge: { scope: 'read:audit' },
    });
  });
});

describe('hasMfaEvidence', () => {
  it('reads the namespaced claim as an array or a string', () => {
    expect(hasMfaEvidence(principal({ [`${AUDIENCE}/amr`]: ['pwd', 'mfa'] }), AUDIENCE)).toBe(true);
    expect(hasMfaEvidence(principal({ [`${AUDIENCE}/amr`]: 'mfa' }), AUDIENCE)).toBe(true);
    // The claim name ignores a trailing slash of the audience, as the Action's does.
    expect(hasMfaEvidence(principal({ [`${AUDIENCE}/amr`]: ['mfa'] }), `${AUDIENCE}/`)).toBe(true);
  });

  it('refuses a plain amr, another namespace, other methods and non-list values', () => {
    for (const claims of [
      { amr: ['mfa'] },
      { 'https://other/amr': ['mfa'] },
      { [`${AUDIENCE}/amr`]: ['pwd'] },
      { [`${AUDIENCE}/amr`]: 'pwd' },
      { [`${AUDIENCE}/amr`]: ['MFA'] },
      { [`${AUDIENCE}/amr`]: { mfa: true } },
      {},
    ])
      expect(hasMfaEvidence(principal(claims), AUDIENCE)).toBe(false);
  });
});

describe('requireStepUp', () => {
  const evidence = { [`${AUDIENCE}/amr`]: ['pwd', 'mfa'] };

  it('accepts a JWT with MFA evidence issued 299 s or 300 s ago', () => {
    for (const age of [0, 299, 300])
      expect(() =>
        requireStepUp(principal(evidence, { issuedAt: NOW - age }), AUDIENCE, NOW),
      ).not.toThrow();
  });

  it('refuses a token issued 301 s ago, or without iat, with max_age=300 (RFC 9470)', () => {
    for (const issuedAt of [NOW - 301, undefined]) {
      const error = thrown(() => requireStepUp(principal(evidence, { issuedAt }), AUDIENCE, NOW));
      expect(error).toMatchObject({
        statusCode: 401,
        code: 'insufficient_user_authentication',
        description: 'transfers need a token issued in the last 5 minutes',
        challenge: { acr_values: MFA_ACR, max_age: '300' },
      });
    }
  });

  it('refuses a token without MFA evidence, asking for the multi-factor acr', () => {
    const error = thrown(() => requireStepUp(principal({ amr: ['mfa'] }), AUDIENCE, NOW));
    expect(error).toMatchObject({
      statusCode: 401,
      code: 'insufficient_user_authentication',
      description: 'transfers need multi-factor authentication',
      challenge: { acr_values: MFA_ACR },
    });
    expect(error.challenge).toEqual({ acr_values: MFA_ACR });
  });

  it.each(['introspection', 'password_grant'] as const)(
    'refuses a %s credential even with evidence and a fresh iat',
    (source) => {
      const error = thrown(() => requireStepUp(principal(evidence, { source }), AUDIENCE, NOW));
      expect(error).toMatchObject({
        statusCode: 401,
        code: 'insufficient_user_authentication',
        description: 'transfers need an access token issued after MFA',
      });
      expect(error.challenge).toEqual({ acr_values: MFA_ACR });
    },
  );

  it('uses the current time by default', () => {
    const fresh = principal(evidence, { issuedAt: Math.floor(Date.now() / 1000) - 5 });
    expect(() => requireStepUp(fresh, AUDIENCE)).not.toThrow();
    const stale = principal(evidence, { issuedAt: Math.floor(Date.now() / 1000) - 400 });
    expect(() => requireStepUp(stale, AUDIENCE)).toThrow(ApiError);
  });
});
