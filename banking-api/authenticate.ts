// Turns the Authorization header into a Principal. Only the header is read (never the query string or body);
// the scheme is case-insensitive (RFC 7235 §2.1). A 3-part token is a JWS verified locally; anything else is
// an opaque token (e.g. an ASP) for introspection.
import type { IncomingMessage } from 'node:http';
import type { BasicAuthenticator } from './basic-auth.js';
import { parseBasicCredentials } from './basic-auth.js';
import { invalidRequest, invalidToken, missingCredentials } from './errors.js';
import type { IntrospectionClient } from './introspection.js';
import type { JwtVerifier } from './jwt-verifier.js';
import type { Principal } from './principal.js';

/** RFC 6750 §2.1 b64token. */
const B68TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

export interface Authenticator {
  /** Rejects with an ApiError; the raw request is needed to see repeated Authorization headers. */
  authenticate(raw: IncomingMessage): Promise<Authenticated>;
}

export interface Authenticated {
  principal: Principal;
  /** The bearer token as presented (for single-use bookkeeping); never logged. */
  bearerToken?: string;
}

export interface AuthenticatorOptions {
  jwtVerifier: JwtVerifier;
  introspection?: IntrospectionClient;
  basic: BasicAuthenticator;
  maxTokenLength: number;
}

export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const { jwtVerifier, introspection, basic, maxTokenLength } = options;

  return {
    async authenticate(raw) {
      const header = singleAuthorizationHeader(raw);
      if (header === undefined) throw missingCredentials();
      const space = header.indexOf(' ');
      const scheme = (space === -1 ? header : header.slice(0, space)).toLowerCase();
      const credentials = space === -1 ? '' : header.slice(space + 1).trim();

      if (scheme === 'bearer') {
        // Exactly this string passed every check below before and has not expired: skip re-parsing it.
        const known = jwtVerifier.cachedPrincipal(credentials);
        if (known) return { principal: known, bearerToken: credentials };
        if (credentials.length === 0) throw invalidRequest('Bearer scheme without a token');
        if (credentials.length > maxTokenLength)
          throw invalidToken(`token longer than ${maxTokenLength} characters`);
        if (!B68TOKEN.test(credentials)) throw invalidToken('malformed token');
        let dots = 0;
        for (
          let index = credentials.indexOf('.');
          index !== -1;
          index = credentials.indexOf('.', index + 1)
        )
          dots += 1;
        if (dots === 2)
          return { principal: await jwtVerifier.verify(credentials), bearerToken: credentials };
        if (!introspection)
          throw invalidToken('malformed token: not a JWT and introspection is not configured');
        return { principal: await introspection.introspect(credentials), bearerToken: credentials };
      }
      if (scheme === 'basic') {
        if (credentials.length === 0 || credentials.length > maxTokenLength) {
          throw invalidRequest('malformed Basic credentials');
        }
        return { principal: await basic.authenticate(parseBasicCredentials(credentials)) };
      }
      // Unknown schemes (DPoP, Digest …) are treated as no acceptable credentials.
      throw missingCredentials();
    },
  };
}

/**
 * Node keeps only the first Authorization header; RFC 6750 §3.1 makes more than one a malformed request
 * (which one would an intermediary have checked?), so count them in the raw headers.
 */
function singleAuthorizationHeader(raw: IncomingMessage): string | undefined {
  const header = raw.headers.authorization;
  if (header === undefined) return undefined;
  const rawHeaders = raw.rawHeaders;
  let count = 0;
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const name = rawHeaders[index]!;
    if (name.length === 13 && name.toLowerCase() === 'authorization') count += 1;
  }
  if (count > 1) throw invalidRequest('more than one Authorization header');
  return header;
}
