// The scenario judge shared by the demo and the web page: a step passes only for the outcome the
// step-up flow expects, for the right reason (a 403 for another cause, or a step-up token without
// MFA evidence, fails).
import { describe, expect, it } from 'vitest';
import {
  AMR_CLAIM,
  decodeJwtClaims,
  judgeApiCall,
  judgeLogin,
} from '../../lib/banking-scenario.js';

/** A JWT-shaped token (unsigned: the judge only reads claims; the API is what verifies). */
function token(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iat: 1_700_000_000, ...claims })}.signature`;
}

const loginToken = token({ scope: 'openid view:balance' });
const stepUpToken = token({
  scope: 'openid view:balance transfer:funds',
  [AMR_CLAIM]: ['pwd', 'mfa'],
});

describe('banking scenario judge', () => {
  it('decodes base64url claims, including non-ASCII, and rejects what is not a JWT', () => {
    expect(decodeJwtClaims(token({ name: 'Zoë', scope: 'a b' }))).toMatchObject({
      name: 'Zoë',
      scope: 'a b',
    });
    expect(() => decodeJwtClaims('opaque-token')).toThrow(/not a JWT/);
  });

  it('login passes with view:balance only; fails if the ordinary login already carries transfer:funds', () => {
    expect(judgeLogin('login', 'GET /authorize', loginToken)).toMatchObject({
      passed: true,
      decidingClaim: 'scope="openid view:balance"',
    });
    expect(judgeLogin('login', 'GET /authorize', stepUpToken).passed).toBe(false);
  });

  it('step-up passes only with transfer:funds AND MFA evidence', () => {
    const result = judgeLogin('step-up', 'GET /authorize', stepUpToken);
    expect(result.passed).toBe(true);
    expect(result.decidingClaim).toContain(`${AMR_CLAIM}=["pwd","mfa"]`);
    expect(
      judgeLogin(
        'step-up',
        'GET /authorize',
        token({ scope: 'openid view:balance transfer:funds' }),
      ).passed,
    ).toBe(false);
    expect(
      judgeLogin('step-up', 'GET /authorize', token({ scope: 'openid view:balance', amr: ['mfa'] }))
        .passed,
    ).toBe(false);
    // A plain amr is not what the API accepts as evidence.
    expect(
      judgeLogin('step-up', 'GET /authorize', token({ scope: 'transfer:funds', amr: ['mfa'] }))
        .passed,
    ).toBe(false);
    expect(
      judgeLogin(
        'step-up',
        'GET /authorize',
        token({ scope: 'transfer:funds', [AMR_CLAIM]: 'mfa' }),
      ).passed,
    ).toBe(true);
  });

  it('the refused transfer must be a 403 for insufficient_scope, not any 403', () => {
    const insufficientScope = {
      status: 403,
      wwwAuthenticate:
        'Bearer realm="banking-api", error="insufficient_scope", scope="transfer:funds"',
      body: {},
    };
    const result = judgeApiCall(
      'transfer-without-step-up',
      'POST /transfer',
      insufficientScope,
      loginToken,
    );
    expect(result.passed).toBe(true);
    expect(result.decidingClaim).toContain('error="insufficient_scope" scope="transfer:funds"');
    const otherForbidden = {
      status: 403,
      wwwAuthenticate: 'Bearer error="invalid_token"',
      body: {},
    };
    expect(
      judgeApiCall('transfer-without-step-up', 'POST /transfer', otherForbidden, loginToken).passed,
    ).toBe(false);
    expect(
      judgeApiCall(
        'transfer-without-step-up',
        'POST /transfer',
        { status: 200, body: {} },
        loginToken,
      ).passed,
    ).toBe(false);
  });

  it('balance and transfer need 200; the replay needs 401 invalid_token', () => {
    expect(
      judgeApiCall('balance', 'GET /balance', { status: 200, body: {} }, loginToken).passed,
    ).toBe(true);
    expect(
      judgeApiCall('balance', 'GET /balance', { status: 401, body: {} }, loginToken).passed,
    ).toBe(false);
    expect(
      judgeApiCall('transfer', 'POST /transfer', { status: 200, body: {} }, stepUpToken).passed,
    ).toBe(true);
    expect(
      judgeApiCall('transfer', 'POST /transfer', { status: 401, body: {} }, stepUpToken).passed,
    ).toBe(false);
    const replay = {
      status: 401,
      wwwAuthenticate:
        'Bearer error="invalid_token", error_description="transfer token already used"',
      body: {},
    };
    const result = judgeApiCall('replay', 'POST /transfer', replay, stepUpToken);
    expect(result.passed).toBe(true);
    expect(result.decidingClaim).toContain('error_description="transfer token already used"');
    expect(
      judgeApiCall('replay', 'POST /transfer', { status: 200, body: {} }, stepUpToken).passed,
    ).toBe(false);
    expect(
      judgeApiCall(
        'replay',
        'POST /transfer',
        { status: 401, wwwAuthenticate: 'Bearer', body: {} },
        stepUpToken,
      ).passed,
    ).toBe(false);
  });
});
