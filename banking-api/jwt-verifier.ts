// Access-token (JWS compact) verification with node:crypto directly: RS256 only, keys only from the
// cached JWKS by `kid`, claims checked strictly (README § Token validation). Verified tokens are
// remembered until they expire, so a token seen again costs a Map lookup instead of an RSA
// verification.
import { verify as verifySignature } from 'node:crypto';
import { isRecord } from '../lib/guards.js';
import { invalidToken, unavailable } from './errors.js';
import type { JwksCache } from './jwks.js';
import { BoundedExpiringCache } from './bounded-cache.js';
import { principalFromClaims, type Principal } from './principal.js';

const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** RFC 8725 §3.11 explicit typing: Auth0's default profile says `JWT`, the RFC 9068 profile `at+jwt`. */
const ACCEPTED_TYP = new Set(['jwt', 'at+jwt', 'application/at+jwt']);

export interface JwtVerifierOptions {
  issuer: string;
  audience: string;
  jwks: JwksCache;
  clockToleranceSeconds: number;
  /** Longest a verified token stays cached regardless of exp, so a key removed from the JWKS stops working. */
  cacheMaxAgeMs?: number;
  cacheCapacity?: number;
}

export class JwtVerifier {
  private readonly verified: BoundedExpiringCache<Principal>;
  private readonly cacheMaxAgeMs: number;

  constructor(private readonly options: JwtVerifierOptions) {
    this.verified = new BoundedExpiringCache(options.cacheCapacity ?? 10_000);
    this.cacheMaxAgeMs = options.cacheMaxAgeMs ?? 600_000;
  }

  /** The caller of a token verified before and not yet expired — the hot path, no parsing at all. */
  cachedPrincipal(token: string): Principal | undefined {
    return this.verified.get(token);
  }

  /** Resolves to the caller or rejects with an ApiError (401 invalid_token, or 503 when no JWKS is reachable). */
  async verify(token: string): Promise<Principal> {
    const nowMs = Date.now();
    const cached = this.verified.get(token, nowMs);
    if (cached) return cached;

    const parts = token.split('.');
    if (parts.length !== 3)
      throw invalidToken('malformed token: expected three dot-separated parts');
    // Stryker disable next-line StringLiteral: equivalent — the defaults never apply: parts has exactly three elements
    const [encodedHeader = '', encodedPayload = '', encodedSignature = ''] = parts;
    const header = decodeJsonSegment(encodedHeader, 'header');
    const kid = checkHeader(header);
    if (!BASE64URL.test(encodedSignature) || !BASE64URL.test(encodedPayload)) {
      throw invalidToken('malformed token: payload and signature must be base64url');
    }

    let key = this.options.jwks.cached(kid);
    if (!key) {
      const lookup = await this.options.jwks.lookup(kid);
      if (!lookup.found) {
        if (lookup.reason === 'jwks_unavailable')
          throw unavailable('signing keys are unavailable, try again shortly');
        throw invalidToken('unknown signing key (kid)');
      }
      key = lookup.key;
    }
    // Stryker disable next-line StringLiteral: equivalent — both segments passed the base64url check (ASCII only)
    const signingInput = Buffer.from(`${encodedHeader}.${encodedPayload}`, 'ascii');
    const signature = Buffer.from(encodedSignature, 'base64url');
    // The last base64url character can carry unused bits: "…Q" and "…R" may decode to the same signature.
    // Only the canonical spelling is accepted, so one signed token has exactly one string (single use is by string).
    if (signature.toString('base64url') !== encodedSignature)
      throw invalidToken('malformed token: non-canonical base64url signature');
    if (!verifySignature('sha256', signingInput, key, signature))
      throw invalidToken('signature verification failed');

    const claims = decodeJsonSegment(encodedPayload, 'payload');
    this.checkClaims(claims, nowMs / 1000);
    const principal = principalFromClaims(claims, 'jwt', this.options.audience);
    const expiresAtMs = Math.min(claims.exp * 1000, nowMs + this.cacheMaxAgeMs);
    this.verified.set(token, principal, expiresAtMs);
    return principal;
  }

  private checkClaims(
    claims: Record<string, unknown>,
    nowSeconds: number,
  ): asserts claims is Record<string, unknown> & { sub: string; exp: number } {
    const { issuer, audience, clockToleranceSeconds: tolerance } = this.options;
    if (claims.iss !== issuer) throw invalidToken('unexpected issuer (iss)');
    const aud = claims.aud;
    const audienceMatches =
      aud === audience ||
      (Array.isArray(aud) &&
        aud.every((item) => typeof item === 'string') &&
        aud.includes(audience));
    if (!audienceMatches) throw invalidToken('token not issued for this API (aud)');
    if (!isNumericDate(claims.exp)) throw invalidToken('token has no valid expiry (exp)');
    if (claims.exp <= nowSeconds - tolerance) throw invalidToken('token expired (exp)');
    if (
      claims.nbf !== undefined &&
      (!isNumericDate(claims.nbf) || claims.nbf > nowSeconds + tolerance)
    ) {
      throw invalidToken('token not yet valid (nbf)');
    }
    if (
      claims.iat !== undefined &&
      (!isNumericDate(claims.iat) || claims.iat > nowSeconds + tolerance)
    ) {
      throw invalidToken('token issued in the future (iat)');
    }
    if (typeof claims.sub !== 'string' || claims.sub.length === 0)
      throw invalidToken('token has no subject (sub)');
    if (claims.scope !== undefined && typeof claims.scope !== 'string')
      throw invalidToken('scope claim must be a string');
  }
}

function isNumericDate(value: unknown): value is number {
  // JSON.parse turns 1e400 into Infinity: a number, but no date.
  // Stryker disable next-line ConditionalExpression: equivalent — Number.isFinite is false for every non-number
  return typeof value === 'number' && Number.isFinite(value);
}

function decodeJsonSegment(segment: string, name: 'header' | 'payload'): Record<string, unknown> {
  if (!BASE64URL.test(segment)) throw invalidToken(`malformed token: ${name} is not base64url`);
  const bytes = Buffer.from(segment, 'base64url');
  if (bytes.toString('base64url') !== segment)
    throw invalidToken(`malformed token: non-canonical base64url ${name}`);
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalidToken(`malformed token: ${name} is not JSON`);
  }
  if (!isRecord(value)) throw invalidToken(`malformed token: ${name} is not a JSON object`);
  return value;
}

/**
 * Header rules. `jku`, `x5u`, `jwk` and `x5c` are never used: keys come only from the issuer's JWKS (RFC 8725 §3.1).
 * Returns the kid.
 */
function checkHeader(header: Record<string, unknown>): string {
  if (header.alg !== 'RS256') throw invalidToken('signing algorithm not allowed (only RS256)');
  if (
    header.typ !== undefined &&
    (typeof header.typ !== 'string' || !ACCEPTED_TYP.has(header.typ.toLowerCase()))
  ) {
    throw invalidToken('unexpected token type (typ)');
  }
  // RFC 7515 §4.1.11: we understand no extension header, so any `crit` (even an empty one, which is invalid) fails.
  if (header.crit !== undefined) throw invalidToken('unsupported critical header (crit)');
  if (typeof header.kid !== 'string' || header.kid.length === 0 || header.kid.length > 256) {
    throw invalidToken('token header has no key id (kid)');
  }
  return header.kid;
}
