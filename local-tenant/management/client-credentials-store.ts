// Public-key credentials for private_key_jwt (auth0-facts §6): validated PEM, alg, kid (RFC 7638 thumbprint
// when not given).
import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import { z } from 'zod';
import { badRequest } from '../errors.js';
import { newIds } from '../ids.js';
import type { ClientCredentialRecord } from '../state/types.js';

export const credentialInputSchema = z.strictObject({
  credential_type: z.literal('public_key'),
  name: z.string().max(128).optional(),
  pem: z.string().min(1),
  alg: z.enum(['RS256', 'RS384', 'PS256']).optional(),
  kid: z
    .string()
    .regex(/^[0-9a-zA-Z-_]{10,64}$/)
    .optional(),
  parse_expiry_from_cert: z.boolean().optional(),
  expires_at: z.iso.datetime().optional(),
});
export type CredentialInput = z.infer<typeof credentialInputSchema>;

export function newCredential(input: CredentialInput): ClientCredentialRecord {
  let keyObject;
  let certificateExpiry: string | undefined;
  try {
    if (/PRIVATE KEY/.test(input.pem)) throw new Error('private');
    keyObject = createPublicKey(input.pem);
    if (input.pem.includes('BEGIN CERTIFICATE'))
      certificateExpiry = new Date(new X509Certificate(input.pem).validTo).toISOString();
  } catch {
    throw badRequest(
      "Payload validation error: 'pem must be a PEM-encoded public key or X.509 certificate' on property pem.",
    );
  }
  if (keyObject.asymmetricKeyType !== 'rsa' && keyObject.asymmetricKeyType !== 'rsa-pss') {
    throw badRequest("Payload validation error: 'pem must hold an RSA key' on property pem.");
  }
  const jwk = keyObject.export({ format: 'jwk' });
  const kid =
    input.kid ??
    createHash('sha256')
      .update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n }))
      .digest('base64url');
  const now = new Date().toISOString();
  const expiresAt =
    input.expires_at ?? (input.parse_expiry_from_cert ? certificateExpiry : undefined);
  return {
    id: newIds.credential(),
    credential_type: 'public_key',
    ...(input.name !== undefined ? { name: input.name } : {}),
    pem: input.pem,
    alg: input.alg ?? 'RS256',
    kid,
    created_at: now,
    updated_at: now,
    ...(expiresAt ? { expires_at: expiresAt } : {}),
  };
}

/** API view of a credential: the PEM is not echoed back. */
export function credentialResponse(credential: ClientCredentialRecord): Record<string, unknown> {
  const { pem: _pem, ...rest } = credential;
  return rest;
}
