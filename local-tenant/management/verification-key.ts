// Introspection (docs/asp.md): a resource server's `verificationKey` is a PEM (public key or
// certificate) or a public JWK, used by the Authentication API's /oauth/introspect to verify the
// API's client assertions at introspection. Private keys are refused so none is stored.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { badRequest } from '../errors.js';
import { errorMessage, isRecord } from '../../lib/guards.js';

export function publicKeyFromVerificationKey(value: unknown): KeyObject {
  try {
    if (typeof value === 'string') {
      if (/PRIVATE KEY/.test(value)) throw new Error('private');
      return createPublicKey(value);
    }
    if (isRecord(value)) {
      if ('d' in value) throw new Error('private');
      return createPublicKey({ key: value, format: 'jwk' });
    }
  } catch (error) {
    if (errorMessage(error) === 'private') {
      throw badRequest(
        "Payload validation error: 'verificationKey must be a public key, not a private key' on property verificationKey.",
      );
    }
  }
  throw badRequest(
    "Payload validation error: 'verificationKey must be a PEM public key or certificate, or a public JWK' on property verificationKey.",
  );
}
