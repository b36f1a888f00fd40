import { describe, expect, it } from 'vitest';
import {
  base32Decode,
  base32Encode,
  generateTotpSecret,
  otpauthUri,
  totpCode,
  verifyTotp,
} from '../../local-tenant/authentication/totp.js';
import { OtpAttemptGuard } from '../../local-tenant/authentication/otp-attempts.js';
import { s256Challenge, verifyPkce } from '../../local-tenant/authentication/pkce.js';

// RFC 6238 Appendix B (SHA-1 seed "12345678901234567890"), truncated to 6 digits.
const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890'));

describe('TOTP (RFC 6238)', () => {
  it('matches the RFC 6238 SHA-1 test vectors', () => {
    expect(totpCode(RFC_SECRET, 59_000)).toBe('287082');
    expect(totpCode(RFC_SECRET, 1_111_111_109_000)).toBe('081804');
    expect(totpCode(RFC_SECRET, 1_234_567_890_000)).toBe('005924');
    expect(totpCode(RFC_SECRET, 2_000_000_000_000)).toBe('279037');
  });

  it('round-trips base32 and generates 160-bit secrets', () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
    expect(base32Encode(base32Decode(secret))).toBe(secret);
    expect(() => base32Decode('not base32!')).toThrow(/Invalid base32/);
  });

  it('verifies within ±1 step only and returns the matched step', () => {
    const now = 1_700_000_000_000;
    const step = Math.floor(now / 30_000);
    expect(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, now), now)).toBe(step);
    expect(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, now - 30_000), now)).toBe(step - 1);
    expect(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, now + 30_000), now)).toBe(step + 1);
    expect(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, now - 90_000), now)).toBeUndefined();
    expect(verifyTotp(RFC_SECRET, '12345', now)).toBeUndefined();
    expect(verifyTotp(RFC_SECRET, 'abcdef', now)).toBeUndefined();
  });

  it('builds an otpauth URI an authenticator app understands', () => {
    const uri = new URL(
      otpauthUri({ secret: RFC_SECRET, accountName: 'ann@example.com', issuer: 'local-tenant' }),
    );
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(RFC_SECRET);
    expect(uri.searchParams.get('period')).toBe('30');
  });
});

describe('OTP brute-force guard', () => {
  it('locks after the configured failures, refuses replayed steps, and unlocks after the lockout', () => {
    let now = 0;
    const guard = new OtpAttemptGuard({ maxFailures: 3, lockoutMs: 1000 }, () => now);
    expect(guard.record('u', 10)).toBe('ok');
    expect(guard.record('u', 10)).toBe('invalid'); // replay of the same step
    expect(guard.record('u', undefined)).toBe('invalid');
    expect(guard.record('u', undefined)).toBe('locked');
    expect(guard.isLocked('u')).toBe(true);
    expect(guard.record('u', 11)).toBe('locked'); // even a right code while locked
    now = 1001;
    expect(guard.isLocked('u')).toBe(false);
    expect(guard.record('u', 11)).toBe('ok');
  });
});

describe('PKCE S256', () => {
  it('accepts the RFC 7636 example and refuses mismatches and malformed verifiers', () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    expect(s256Challenge(verifier)).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(verifyPkce(verifier, 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBe(true);
    expect(verifyPkce(`${verifier}x`, 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBe(false);
    expect(verifyPkce('short', s256Challenge('short'))).toBe(false);
  });
});
