// The resource server authenticates to /oauth/introspect with an RFC 7523 client assertion signed
// by its private key (docs/asp.md). Shape as Auth0 specifies private_key_jwt
// (docs/auth0-facts.md §7): iss = sub = the caller — here the resource server's identifier, as the
// 2017 draft has the API (not a client) authenticate; aud = the tenant URL with trailing slash; exp
// ≤ 5 min (we use 60 s); a unique jti, because the tenant refuses a replayed assertion. UNCONFIRMED
// for introspection (never generally available); the local tenant accepts exactly this shape.
import { createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, SignJWT } from 'jose';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface ClientAssertionInput {
  privateKey: KeyObject;
  /** The resource server's identifier (audience), e.g. https://my-banking-api. */
  resourceServer: string;
  /** Tenant issuer with trailing slash, e.g. https://my-bank.eu.auth0.com/. */
  tenantIssuer: string;
  lifetimeSeconds?: number;
  /** Seconds since the epoch; default now (tests move it to make expired assertions). */
  issuedAt?: number;
  jti?: string;
  /** Precomputed keyIdOf(privateKey), for callers that sign often (the banking API). */
  kid?: string;
}

/** kid = RFC 7638 thumbprint of the public key, so a tenant holding several keys (rotation) can pick the right one. */
export async function keyIdOf(privateKey: KeyObject): Promise<string> {
  return calculateJwkThumbprint(await exportJWK(createPublicKey(privateKey)));
}

export async function signClientAssertion(input: ClientAssertionInput): Promise<string> {
  const issuedAt = input.issuedAt ?? Math.floor(Date.now() / 1000);
  const kid = input.kid ?? (await keyIdOf(input.privateKey));
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
    .setIssuer(input.resourceServer)
    .setSubject(input.resourceServer)
    .setAudience(input.tenantIssuer)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (input.lifetimeSeconds ?? 60))
    .setJti(input.jti ?? randomUUID())
    .sign(input.privateKey);
}
