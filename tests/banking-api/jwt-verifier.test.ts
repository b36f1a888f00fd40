// JwtVerifier on its own, with a stub key source: every header and claim rule, with exact boundaries, and the
// verified-token cache. Tokens are signed here with node:crypto so each byte of header and payload is chosen.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../banking-api/errors.js';
import type { JwksCache, KeyLookup } from '../../banking-api/jwks.js';
import { JwtVerifier } from '../../banking-api/jwt-verifier.js';

const ISSUER = 'https://tenant.example/';
const AUDIENCE = 'https://my-banking-api';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const now = () => Math.floor(Date.now() / 1000);

const b64 = (value: unknown): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

function token(
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
  key: KeyObject = privateKey,
): string {
  const input = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'k1', ...header })}.${b64({
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'auth0|u',
    iat: now(),
    exp: now() + 600,
    scope: 'view:balance',
    ...claims,
  })}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

/** A key source: `k1` is known (cached or looked up), `down` means the JWKS is unreachable. */
function keySource(options: { cached?: boolean } = {}) {
  const lookups: string[] = [];
  const source = {
    cached: (kid: string) => (options.cached && kid === 'k1' ? publicKey : undefined),
    lookup: async (kid: string): Promise<KeyLookup> => {
      lookups.push(kid);
      if (kid === 'k1') return { found: true, key: publicKey };
      return { found: false, reason: kid === 'down' ? 'jwks_unavailable' : 'unknown_kid' };
    },
  };
  return { jwks: source as unknown as JwksCache, lookups };
}

function verifier(
  options: { cached?: boolean; cacheMaxAgeMs?: number; cacheCapacity?: number } = {},
) {
  const { jwks, lookups } = keySource(options);
  const instance = new JwtVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    jwks,
    clockToleranceSeconds: 5,
    ...(options.cacheMaxAgeMs !== undefined ? { cacheMaxAgeMs: options.cacheMaxAgeMs } : {}),
    ...(options.cacheCapacity !== undefined ? { cacheCapacity: options.cacheCapacity } : {}),
  });
  return { instance, lookups };
}

async function rejection(jwt: string, instance = verifier().instance): Promise<ApiError> {
  try {
    await instance.verify(jwt);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error('expected the token to be refused');
}

async function refusedWith(jwt: string, description: string | RegExp): Promise<void> {
  const error = await rejection(jwt);
  expect(error.statusCode).toBe(401);
  expect(error.code).toBe('invalid_token');
  if (typeof description === 'string') expect(error.description).toBe(description);
  else expect(error.description).toMatch(description);
}

// A fixed clock: boundaries are exact, whatever time signing and verifying take on a busy machine.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(1_800_000_000_000);
});
afterEach(() => vi.useRealTimers());

describe('JwtVerifier: accepted tokens', () => {
  it('returns the principal of a valid token and caches it', async () => {
    const { instance, lookups } = verifier();
    const jwt = token({ scope: 'view:balance transfer:funds' });
    const principal = await instance.verify(jwt);
    expect(principal).toMatchObject({ subject: 'auth0|u', source: 'jwt' });
    expect([...principal.scopes]).toEqual(['view:balance', 'transfer:funds']);
    expect(lookups).toEqual(['k1']);
    expect(instance.cachedPrincipal(jwt)).toBe(principal);
    expect(await instance.verify(jwt)).toBe(principal);
    expect(lookups).toEqual(['k1']);
  });

  it('uses a cached key without looking it up', async () => {
    const { instance, lookups } = verifier({ cached: true });
    await instance.verify(token());
    expect(lookups).toEqual([]);
  });

  it.each(['JWT', 'jwt', 'at+jwt', 'AT+JWT', 'application/at+jwt'])(
    'accepts typ %s',
    async (typ) => {
      await expect(verifier().instance.verify(token({}, { typ }))).resolves.toBeDefined();
    },
  );

  it('accepts a token without typ, an audience array containing ours, no nbf/iat/scope', async () => {
    const { instance } = verifier();
    await expect(instance.verify(token({}, { typ: undefined }))).resolves.toBeDefined();
    await expect(
      instance.verify(token({ aud: ['https://other', AUDIENCE] })),
    ).resolves.toBeDefined();
    await expect(
      instance.verify(token({ iat: undefined, nbf: undefined, scope: undefined })),
    ).resolves.toBeDefined();
  });

  it('accepts exp, nbf and iat right at the clock tolerance (5 s)', async () => {
    const { instance } = verifier();
    const t = now();
    await expect(instance.verify(token({ exp: t - 4 }))).resolves.toBeDefined();
    await expect(instance.verify(token({ nbf: t + 5, iat: t + 5 }))).resolves.toBeDefined();
  });

  it('caches a principal no longer than cacheMaxAgeMs, and not past exp', async () => {
    const t = 1_800_000_000;
    const { instance } = verifier({ cacheMaxAgeMs: 10_000 });
    const long = token({ iat: t, exp: t + 600 });
    await instance.verify(long);
    vi.setSystemTime(1_800_000_009_999);
    expect(instance.cachedPrincipal(long)).toBeDefined();
    vi.setSystemTime(1_800_000_010_000);
    expect(instance.cachedPrincipal(long)).toBeUndefined();

    vi.setSystemTime(1_800_000_000_000);
    const short = token({ iat: t, exp: t + 3 });
    await instance.verify(short);
    vi.setSystemTime(1_800_000_002_999);
    expect(instance.cachedPrincipal(short)).toBeDefined();
    vi.setSystemTime(1_800_000_003_000);
    expect(instance.cachedPrincipal(short)).toBeUndefined();
  });

  it('keeps at most cacheCapacity verified tokens, evicting the oldest', async () => {
    const { instance } = verifier({ cacheCapacity: 1 });
    const first = token({ sub: 'auth0|first' });
    const second = token({ sub: 'auth0|second' });
    await instance.verify(first);
    await instance.verify(second);
    expect(instance.cachedPrincipal(first)).toBeUndefined();
    expect(instance.cachedPrincipal(second)).toBeDefined();
  });

  it('caches for 10 minutes by default', async () => {
    const t = 1_800_000_000;
    const { instance } = verifier();
    const jwt = token({ iat: t, exp: t + 3600 });
    await instance.verify(jwt);
    vi.setSystemTime(1_800_000_599_999);
    expect(instance.cachedPrincipal(jwt)).toBeDefined();
    vi.setSystemTime(1_800_000_600_000);
    expect(instance.cachedPrincipal(jwt)).toBeUndefined();
  });
});

describe('JwtVerifier: malformed tokens', () => {
  it('needs exactly three parts', async () => {
    const jwt = token();
    for (const bad of ['abc', jwt.split('.').slice(0, 2).join('.'), `${jwt}.x`])
      await refusedWith(bad, 'malformed token: expected three dot-separated parts');
  });

  it('needs base64url JSON objects as header and payload, canonically encoded', async () => {
    const [header, payload, signature] = token().split('.') as [string, string, string];
    await refusedWith(`a+b.${payload}.${signature}`, 'malformed token: header is not base64url');
    await refusedWith(
      `${header}.a+b.${signature}`,
      'malformed token: payload and signature must be base64url',
    );
    await refusedWith(
      `${header}.${payload}.a+b`,
      'malformed token: payload and signature must be base64url',
    );
    await refusedWith(
      `${b64('not json')}.${payload}.${signature}`,
      'malformed token: header is not JSON',
    );
    await refusedWith(
      `${b64([1])}.${payload}.${signature}`,
      'malformed token: header is not a JSON object',
    );
    await refusedWith(
      `${b64('null')}.${payload}.${signature}`,
      'malformed token: header is not a JSON object',
    );
    await refusedWith(
      `${b64('"text"')}.${payload}.${signature}`,
      'malformed token: header is not a JSON object',
    );
    // "e30" is {} — "e31" decodes to the same bytes but is not the canonical spelling.
    await refusedWith(
      `e31.${payload}.${signature}`,
      'malformed token: non-canonical base64url header',
    );
  });

  it('refuses a payload that is not a JSON object once the signature checks', async () => {
    const header = b64({ alg: 'RS256', kid: 'k1' });
    for (const [payload, message] of [
      [b64('[1]'), 'malformed token: payload is not a JSON object'],
      [b64('nope'), 'malformed token: payload is not JSON'],
    ] as const) {
      const input = `${header}.${payload}`;
      const signature = sign('sha256', Buffer.from(input), privateKey).toString('base64url');
      await refusedWith(`${input}.${signature}`, message);
    }
  });

  it('refuses a non-canonical signature spelling and a wrong signature', async () => {
    const jwt = token();
    const last = jwt.at(-1)!;
    // The final character of a 256-byte signature carries 4 unused bits: flip one of them.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = alphabet[alphabet.indexOf(last) ^ 1]!;
    await refusedWith(
      `${jwt.slice(0, -1)}${twin}`,
      'malformed token: non-canonical base64url signature',
    );
    await refusedWith(token({}, {}, other.privateKey), 'signature verification failed');
  });
});

describe('JwtVerifier: header rules', () => {
  it('allows RS256 only', async () => {
    for (const alg of ['none', 'HS256', 'RS512', 'rs256', undefined])
      await refusedWith(token({}, { alg }), 'signing algorithm not allowed (only RS256)');
  });

  it('refuses an unexpected or non-string typ', async () => {
    for (const typ of ['JWS', 'id_token', '', 7, ['JWT']])
      await refusedWith(token({}, { typ }), 'unexpected token type (typ)');
  });

  it('refuses any crit header, even an empty one', async () => {
    for (const crit of [[], ['exp']])
      await refusedWith(token({}, { crit }), 'unsupported critical header (crit)');
  });

  it('needs a kid of 1 to 256 characters', async () => {
    for (const kid of [undefined, '', 7, 'k'.repeat(257)])
      await refusedWith(token({}, { kid }), 'token header has no key id (kid)');
    await refusedWith(token({}, { kid: 'k'.repeat(256) }), 'unknown signing key (kid)');
    await refusedWith(token({}, { kid: 'x' }), 'unknown signing key (kid)');
  });

  it('answers 503 when the signing keys cannot be fetched', async () => {
    const error = await rejection(token({}, { kid: 'down' }));
    expect(error).toMatchObject({
      statusCode: 503,
      code: 'temporarily_unavailable',
      description: 'signing keys are unavailable, try again shortly',
    });
  });
});

describe('JwtVerifier: claim rules', () => {
  it('needs our issuer exactly', async () => {
    for (const iss of ['https://tenant.example', 'https://evil.example/', undefined])
      await refusedWith(token({ iss }), 'unexpected issuer (iss)');
  });

  it('needs our audience, alone or in an all-string array', async () => {
    for (const aud of [`${AUDIENCE}/`, ['https://other'], [AUDIENCE, 7], undefined, []])
      await refusedWith(token({ aud }), 'token not issued for this API (aud)');
  });

  it('needs a numeric exp not more than 5 s in the past', async () => {
    const t = now();
    for (const exp of [undefined, String(t + 60), Number.NaN, null])
      await refusedWith(token({ exp }), 'token has no valid expiry (exp)');
    await refusedWith(token({ exp: t - 5 }), 'token expired (exp)');
    await refusedWith(token({ exp: t - 60 }), 'token expired (exp)');
  });

  it('refuses an exp that JSON reads as Infinity (1e400)', async () => {
    const header = b64({ alg: 'RS256', kid: 'k1' });
    const payload = Buffer.from(
      `{"iss":"${ISSUER}","aud":"${AUDIENCE}","sub":"auth0|u","exp":1e400}`,
    ).toString('base64url');
    const input = `${header}.${payload}`;
    const signature = sign('sha256', Buffer.from(input), privateKey).toString('base64url');
    await refusedWith(`${input}.${signature}`, 'token has no valid expiry (exp)');
  });

  it('refuses nbf or iat more than 5 s ahead, or not numeric', async () => {
    const t = now();
    await refusedWith(token({ nbf: t + 6 }), 'token not yet valid (nbf)');
    await refusedWith(token({ nbf: String(t) }), 'token not yet valid (nbf)');
    await refusedWith(token({ iat: t + 6 }), 'token issued in the future (iat)');
    await refusedWith(token({ iat: String(t) }), 'token issued in the future (iat)');
  });

  it('needs a non-empty string subject and a string scope', async () => {
    for (const sub of [undefined, '', 42])
      await refusedWith(token({ sub }), 'token has no subject (sub)');
    await refusedWith(token({ scope: ['view:balance'] }), 'scope claim must be a string');
  });
});
