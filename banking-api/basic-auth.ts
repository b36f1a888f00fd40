// Basic auth with username + password or username + App Specific Password (docs/asp.md): try the
// password grant first; when the tenant refuses it, introspect the password as an ASP and require
// it to belong to that user.
import { createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ApiError, invalidCredentials, invalidRequest, unavailable } from './errors.js';
import type { IntrospectionClient } from './introspection.js';
import type { JwtVerifier } from './jwt-verifier.js';
import { BoundedExpiringCache } from './bounded-cache.js';
import type { Principal } from './principal.js';
import { BoundedSingleFlight } from './single-flight.js';
import { postForm } from './tenant-http.js';

const POSITIVE_CACHE_MS = 30_000;
const MAX_IN_FLIGHT = 64;
const TokenResponseSchema = z.looseObject({ access_token: z.string().min(1) });

export interface BasicAuthOptions {
  issuer: string;
  audience: string;
  jwtVerifier: JwtVerifier;
  introspection?: IntrospectionClient;
  passwordGrantClientId?: string;
  passwordGrantClientSecret?: string;
  timeoutMs?: number;
}

export interface BasicCredentials {
  username: string;
  password: string;
}

/** RFC 7617: base64 of `user-id ":" password`, user-id without a colon. */
export function parseBasicCredentials(encoded: string): BasicCredentials {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw invalidRequest('malformed Basic credentials');
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1)
    throw invalidRequest('Basic credentials need a username and a password');
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export class BasicAuthenticator {
  private readonly cache = new BoundedExpiringCache<Principal>(10_000);
  private readonly inFlight = new BoundedSingleFlight<Principal>(
    MAX_IN_FLIGHT,
    'too many Basic logins in progress, retry shortly',
  );
  /** Cache keys are HMACs under a per-process key, so the cache never holds a reversible password hash. */
  private readonly cacheKeySecret = randomBytes(32);

  constructor(private readonly options: BasicAuthOptions) {}

  async authenticate(credentials: BasicCredentials): Promise<Principal> {
    const cacheKey = createHmac('sha256', this.cacheKeySecret)
      .update(`${credentials.username}\u0000${credentials.password}`)
      .digest('base64url');
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    return this.inFlight.run(cacheKey, () => this.authenticateUncached(credentials, cacheKey));
  }

  private async authenticateUncached(
    credentials: BasicCredentials,
    cacheKey: string,
  ): Promise<Principal> {
    const principal =
      (await this.tryPasswordGrant(credentials)) ??
      (await this.tryAppSpecificPassword(credentials));
    const expiresAtMs = Math.min(
      Date.now() + POSITIVE_CACHE_MS,
      (principal.expiresAt ?? Number.POSITIVE_INFINITY) * 1000,
    );
    this.cache.set(cacheKey, principal, expiresAtMs);
    return principal;
  }

  /** undefined when the tenant refuses the password (wrong password, MFA required, grant not allowed …). */
  private async tryPasswordGrant({
    username,
    password,
  }: BasicCredentials): Promise<Principal | undefined> {
    const { passwordGrantClientId: clientId, passwordGrantClientSecret: clientSecret } =
      this.options;
    if (!clientId) return undefined;
    const form = new URLSearchParams({
      grant_type: 'password',
      username,
      password,
      audience: this.options.audience,
      client_id: clientId,
    });
    if (clientSecret) form.set('client_secret', clientSecret);
    const response = await postForm(
      `${this.options.issuer}oauth/token`,
      form,
      this.options.timeoutMs,
    );
    if (response.status >= 500)
      throw unavailable(`the authorization server failed (HTTP ${response.status})`);
    if (!response.ok) return undefined;
    const parsed = TokenResponseSchema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success)
      throw unavailable('the authorization server answered an unexpected token response');
    try {
      const principal = await this.options.jwtVerifier.verify(parsed.data.access_token);
      return { ...principal, source: 'password_grant' };
    } catch (error) {
      if (error instanceof ApiError && error.statusCode === 401) return undefined;
      throw error;
    }
  }

  private async tryAppSpecificPassword({
    username,
    password,
  }: BasicCredentials): Promise<Principal> {
    if (!this.options.introspection) throw invalidCredentials();
    let principal: Principal;
    try {
      principal = await this.options.introspection.introspect(password);
    } catch (error) {
      if (error instanceof ApiError && error.statusCode === 401) throw invalidCredentials();
      throw error;
    }
    // The ASP must belong to the user named in the credentials (introspection answers `username`).
    const owner = principal.claims.username;
    const matches =
      (typeof owner === 'string' && owner.toLowerCase() === username.toLowerCase()) ||
      principal.subject === username;
    if (!matches) throw invalidCredentials();
    return principal;
  }
}
