// The issuer's signing keys, fetched from `${issuer}.well-known/jwks.json` and cached as node:crypto
// KeyObjects. An unknown `kid` may trigger a refetch, but at most one at a time and at most one per cooldown,
// so a flood of junk kids costs the issuer nothing and the caller only a 401.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';

const JwkSchema = z.looseObject({
  kty: z.string(),
  kid: z.string().optional(),
  use: z.string().optional(),
  alg: z.string().optional(),
  n: z.string().optional(),
  e: z.string().optional(),
});
const JwksSchema = z.object({ keys: z.array(z.unknown()) });

export interface JwksCacheOptions {
  jwksUrl: string;
  /** Keys are refreshed in the background after this long (jose/express-oauth2-jwt-bearer default: 10 min). */
  maxAgeMs?: number;
  /** Minimum gap between two fetches caused by unknown kids (jose default: 30 s). */
  cooldownMs?: number;
  timeoutMs?: number;
}

export type KeyLookup =
  { found: true; key: KeyObject } | { found: false; reason: 'unknown_kid' | 'jwks_unavailable' };

export class JwksCache {
  private keys = new Map<string, KeyObject>();
  private fetchedAt = 0;
  private lastAttemptAt = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<void> | undefined;
  /** Number of HTTP fetches made; tests assert a flood of unknown kids does not raise it. */
  fetchCount = 0;
  private readonly maxAgeMs: number;
  private readonly cooldownMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: JwksCacheOptions) {
    this.maxAgeMs = options.maxAgeMs ?? 600_000;
    this.cooldownMs = options.cooldownMs ?? 30_000;
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  /** Synchronous fast path: the key when it is cached, otherwise undefined (then call `lookup`). */
  cached(kid: string): KeyObject | undefined {
    const key = this.keys.get(kid);
    const now = Date.now();
    if (
      key &&
      now - this.fetchedAt > this.maxAgeMs &&
      now - this.lastAttemptAt >= this.cooldownMs
    ) {
      // Stale but usable: serve it and refresh in the background (rotation removes keys this way too).
      void this.refresh().catch(() => undefined);
    }
    return key;
  }

  async lookup(kid: string): Promise<KeyLookup> {
    const key = this.cached(kid);
    if (key) return { found: true, key };
    const neverLoaded = this.fetchedAt === 0;
    if (this.inFlight || neverLoaded || Date.now() - this.lastAttemptAt >= this.cooldownMs) {
      try {
        await this.refresh();
      } catch {
        if (this.keys.size === 0) return { found: false, reason: 'jwks_unavailable' };
      }
    }
    const refreshed = this.keys.get(kid);
    if (refreshed) return { found: true, key: refreshed };
    return {
      found: false,
      reason: this.keys.size === 0 && this.fetchedAt === 0 ? 'jwks_unavailable' : 'unknown_kid',
    };
  }

  /** One fetch at a time: concurrent callers share the in-flight promise. */
  refresh(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    // Before the first successful fetch, retry at most once a second rather than on every request.
    if (
      this.fetchedAt === 0 &&
      Date.now() - this.lastAttemptAt < Math.min(this.cooldownMs, 1_000)
    ) {
      return Promise.reject(new Error('JWKS fetch failed recently'));
    }
    this.lastAttemptAt = Date.now();
    this.inFlight = this.fetchKeys().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async fetchKeys(): Promise<void> {
    this.fetchCount += 1;
    const response = await fetch(this.options.jwksUrl, {
      signal: AbortSignal.timeout(this.timeoutMs),
      headers: { accept: 'application/json' },
      redirect: 'error',
    });
    if (!response.ok) throw new Error(`JWKS ${this.options.jwksUrl} answered ${response.status}`);
    const body = JwksSchema.parse(await response.json());
    const keys = new Map<string, KeyObject>();
    for (const candidate of body.keys) {
      const jwk = JwkSchema.safeParse(candidate);
      if (!jwk.success || !isRs256SigningKey(jwk.data)) continue;
      try {
        const key = createPublicKey({
          key: { kty: 'RSA', n: jwk.data.n!, e: jwk.data.e! },
          format: 'jwk',
        });
        // RFC 7518 §3.3: RS256 keys must be at least 2048 bits.
        if ((key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048) keys.set(jwk.data.kid!, key);
      } catch {
        // A malformed key in the set must not take the others down with it.
      }
    }
    this.keys = keys;
    this.fetchedAt = Date.now();
  }
}

/** Only RSA signature keys with a kid that may be used for RS256 are kept; everything else is ignored. */
function isRs256SigningKey(jwk: z.infer<typeof JwkSchema>): boolean {
  return (
    jwk.kty === 'RSA' &&
    typeof jwk.kid === 'string' &&
    typeof jwk.n === 'string' &&
    typeof jwk.e === 'string' &&
    (jwk.use === undefined || jwk.use === 'sig') &&
    (jwk.alg === undefined || jwk.alg === 'RS256')
  );
}
