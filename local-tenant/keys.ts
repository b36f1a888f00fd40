// The tenant's RS256 token-signing keys. JWKS publishes every non-retired key; exactly one key is `current`
// and signs. Rotation: publishNextKey() adds a key to JWKS before it signs, promoteNextKey() makes it current.
import { createPrivateKey, createPublicKey, generateKeyPairSync, createHash } from 'node:crypto';
import {
  SignJWT,
  jwtVerify,
  createLocalJWKSet,
  type JWTPayload,
  type JWTVerifyOptions,
  type JWK,
} from 'jose';
import type { TenantStore } from './state/store.js';
import type { SigningKeyRecord } from './state/types.js';

function newKeyRecord(status: SigningKeyRecord['status']): SigningKeyRecord {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const { kty, n, e } = publicKey.export({ format: 'jwk' });
  if (!kty || !n || !e) throw new Error('the new RSA public key did not export as a JWK');
  // RFC 7638 thumbprint as kid, like the kid of an auto-generated Auth0 credential.
  const thumbprintInput = JSON.stringify({ e, kty, n });
  const kid = createHash('sha256').update(thumbprintInput).digest('base64url');
  return {
    kid,
    private_key_pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    public_jwk: { kty, n, e, kid, alg: 'RS256', use: 'sig' },
    created_at: new Date().toISOString(),
    status,
  };
}

export interface SignOptions {
  /** Lifetime in seconds; sets iat/exp. */
  expiresIn: number;
  /** JOSE `typ` header (Auth0 access tokens use "JWT"). */
  typ?: string;
}

export class SigningKeys {
  constructor(private readonly store: TenantStore) {}

  /** Creates the first key on a fresh tenant. */
  ensure(): void {
    if (!this.store.snapshot.signing_keys.some((key) => key.status === 'current')) {
      this.store.mutate((state) => {
        state.signing_keys.push(newKeyRecord('current'));
      });
    }
  }

  jwks(): { keys: JWK[] } {
    return { keys: this.store.snapshot.signing_keys.map((key) => key.public_jwk) };
  }

  private current(): SigningKeyRecord {
    const key = this.store.snapshot.signing_keys.find(
      (candidate) => candidate.status === 'current',
    );
    if (!key) throw new Error('Local tenant has no current signing key');
    return key;
  }

  async sign(payload: JWTPayload, options: SignOptions): Promise<string> {
    const key = this.current();
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', typ: options.typ ?? 'JWT', kid: key.kid })
      .setIssuedAt(now)
      .setExpirationTime(now + options.expiresIn)
      .sign(createPrivateKey(key.private_key_pem));
  }

  /** Verifies a token this tenant signed (any published key). Throws jose errors on failure. */
  async verify(token: string, options: JWTVerifyOptions): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, createLocalJWKSet(this.jwks()), {
      algorithms: ['RS256'],
      ...options,
    });
    return payload;
  }

  /** Publishes a new key in JWKS that does not sign yet; returns its kid. */
  publishNextKey(): string {
    const record = newKeyRecord('next');
    this.store.mutate((state) => {
      state.signing_keys = state.signing_keys.filter((key) => key.status !== 'next');
      state.signing_keys.push(record);
    });
    return record.kid;
  }

  /** Makes the published next key current; the old current key stays in JWKS as previous, older ones go. */
  promoteNextKey(): string {
    return this.store.mutate((state) => {
      const next = state.signing_keys.find((key) => key.status === 'next') ?? newKeyRecord('next');
      state.signing_keys = state.signing_keys
        .filter((key) => key.status === 'current' && key.kid !== next.kid)
        .map((key) => ({ ...key, status: 'previous' as const }));
      state.signing_keys.push({ ...next, status: 'current' });
      return next.kid;
    });
  }

  /** Public key of the current key, e.g. for tests. */
  currentPublicKeyPem(): string {
    return createPublicKey(createPrivateKey(this.current().private_key_pem))
      .export({ format: 'pem', type: 'spki' })
      .toString();
  }
}
