// RFC 7662 token introspection at the tenant (docs/asp.md, docs/auth0-facts.md §7) for bearer
// tokens that are not JWTs, such as App Specific Passwords. The API authenticates with a
// private_key_jwt client assertion (RFC 7523) signed by the resource server's private key; the
// tenant checks it against the resource server's `verificationKey`.
import { createHash, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { CLIENT_ASSERTION_TYPE, keyIdOf, signClientAssertion } from '../lib/client-assertion.js';
import { invalidToken, unavailable } from './errors.js';
import { BoundedExpiringCache } from './bounded-cache.js';
import { principalFromClaims, type Principal } from './principal.js';
import { BoundedSingleFlight } from './single-flight.js';
import { postForm } from './tenant-http.js';

/** Positive answers are reused this long at most (and never past the token's exp), so revocation bites quickly. */
const POSITIVE_CACHE_MS = 30_000;
const MAX_IN_FLIGHT = 64;

const IntrospectionResponseSchema = z.union([
  z.looseObject({ active: z.literal(false) }),
  z.looseObject({
    active: z.literal(true),
    sub: z.string().min(1),
    scope: z.string().optional(),
    aud: z.union([z.string(), z.array(z.string())]).optional(),
    iss: z.string().optional(),
    exp: z.number().optional(),
    iat: z.number().optional(),
    username: z.string().optional(),
    token_type: z.string().optional(),
    client_id: z.string().optional(),
  }),
]);

export interface IntrospectionClientOptions {
  issuer: string;
  audience: string;
  privateKey: KeyObject;
  timeoutMs?: number;
}

export class IntrospectionClient {
  private readonly cache = new BoundedExpiringCache<Principal>(10_000);
  private readonly inFlight = new BoundedSingleFlight<Principal>(
    MAX_IN_FLIGHT,
    'too many token introspections in progress, retry shortly',
  );
  private readonly endpoint: string;
  private keyId: Promise<string> | undefined;
  /** HTTP calls made; tests assert the positive cache saves them. */
  requestCount = 0;

  constructor(private readonly options: IntrospectionClientOptions) {
    this.endpoint = `${options.issuer}oauth/introspect`;
  }

  /**
   * The caller behind an opaque token. Rejects with 401 invalid_token when the tenant says it is inactive or
   * it was not issued for this API, and with 503 when the tenant cannot be asked.
   */
  async introspect(token: string): Promise<Principal> {
    const cacheKey = createHash('sha256').update(token).digest('base64url');
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    return this.inFlight.run(cacheKey, () => this.introspectUncached(token, cacheKey));
  }

  private async introspectUncached(token: string, cacheKey: string): Promise<Principal> {
    const result = await this.request(token);
    if (!result.active) throw invalidToken('token is not active');
    // RFC 7662 answers for any token the tenant knows; a refresh token must never work as an access token.
    if (result.token_type === 'refresh_token')
      throw invalidToken('a refresh token is not an access token');
    const nowSeconds = Date.now() / 1000;
    const aud = result.aud;
    if (
      aud !== undefined &&
      aud !== this.options.audience &&
      !(Array.isArray(aud) && aud.includes(this.options.audience))
    ) {
      throw invalidToken('token not issued for this API (aud)');
    }
    if (result.iss !== undefined && result.iss !== this.options.issuer)
      throw invalidToken('unexpected issuer (iss)');
    if (result.exp !== undefined && result.exp <= nowSeconds)
      throw invalidToken('token expired (exp)');

    const principal = principalFromClaims(result, 'introspection', this.options.audience);
    const expiresAtMs = Math.min(
      Date.now() + POSITIVE_CACHE_MS,
      (result.exp ?? Number.POSITIVE_INFINITY) * 1000,
    );
    this.cache.set(cacheKey, principal, expiresAtMs);
    return principal;
  }

  private async request(token: string): Promise<z.infer<typeof IntrospectionResponseSchema>> {
    this.requestCount += 1;
    const body = new URLSearchParams({
      token,
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: await this.clientAssertion(),
    });
    const response = await postForm(this.endpoint, body, this.options.timeoutMs);
    // A 4xx here means the tenant rejected *our* client assertion: a server-side misconfiguration, not the caller's.
    if (!response.ok) throw unavailable(`token introspection failed (HTTP ${response.status})`);
    const parsed = IntrospectionResponseSchema.safeParse(
      await response.json().catch(() => undefined),
    );
    if (!parsed.success) throw unavailable('token introspection answered an unexpected body');
    return parsed.data;
  }

  /** The shared RFC 7523 assertion (lib/client-assertion.ts), with the key id computed once. */
  private async clientAssertion(): Promise<string> {
    this.keyId ??= keyIdOf(this.options.privateKey);
    return signClientAssertion({
      privateKey: this.options.privateKey,
      resourceServer: this.options.audience,
      tenantIssuer: this.options.issuer,
      kid: await this.keyId,
    });
  }
}
