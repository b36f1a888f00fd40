// Client credentials (docs/auth0-facts.md §6): public keys for private_key_jwt (validated PEM, alg,
// kid = RFC 7638 thumbprint when not given) and certificates for TLS client authentication —
// cert_subject_dn (the certificate's subject DN, or a subject_dn given directly) and x509_cert
// (self-signed, matched by SHA-256 thumbprint), shaped like the recorded responses
// (TestClient_CreateAllCredential).
import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import { z } from 'zod';
import { badRequest } from '../errors.js';
import { newIds } from '../ids.js';
import type { ClientCredentialRecord } from '../state/types.js';

export const credentialInputSchema = z.strictObject({
  credential_type: z.enum(['public_key', 'cert_subject_dn', 'x509_cert']),
  name: z.string().max(128).optional(),
  pem: z.string().min(1).optional(),
  subject_dn: z.string().min(1).max(256).optional(),
  alg: z.enum(['RS256', 'RS384', 'PS256']).optional(),
  kid: z
    .string()
    .regex(/^[0-9a-zA-Z-_]{10,64}$/)
    .optional(),
  parse_expiry_from_cert: z.boolean().optional(),
  expires_at: z.iso.datetime({ offset: true }).optional(),
});
export type CredentialInput = z.infer<typeof credentialInputSchema>;

export const credentialUpdateSchema = z.strictObject({
  expires_at: z.iso.datetime({ offset: true }).nullable().optional(),
});

const invalidPem = () =>
  badRequest(
    "Payload validation error: 'pem must be a PEM-encoded public key or X.509 certificate' on property pem.",
  );

function certificate(pem: string | undefined): X509Certificate {
  if (!pem) throw badRequest("Payload validation error: 'Missing required property: pem'.");
  try {
    return new X509Certificate(pem);
  } catch {
    throw invalidPem();
  }
}

/** Auth0 writes the DN one RDN per line, most significant first (C=…\nST=…\nCN=…). */
const subjectDn = (cert: X509Certificate) => cert.subject.trim();

function publicKeyFields(input: CredentialInput) {
  let keyObject;
  let certificateExpiry: string | undefined;
  try {
    if (!input.pem || /PRIVATE KEY/.test(input.pem)) throw new Error('private');
    keyObject = createPublicKey(input.pem);
    if (input.pem.includes('BEGIN CERTIFICATE'))
      certificateExpiry = new Date(new X509Certificate(input.pem).validTo).toISOString();
  } catch {
    throw invalidPem();
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
  return { kid, certificateExpiry };
}

export function newCredential(input: CredentialInput): ClientCredentialRecord {
  const now = new Date().toISOString();
  const id = newIds.credential();
  const base = {
    id,
    ...(input.name !== undefined ? { name: input.name } : {}),
    alg: input.alg ?? ('RS256' as const),
    created_at: now,
    updated_at: now,
  };
  if (input.credential_type === 'public_key') {
    const { kid, certificateExpiry } = publicKeyFields(input);
    const expiresAt =
      input.expires_at ?? (input.parse_expiry_from_cert ? certificateExpiry : undefined);
    return {
      ...base,
      credential_type: 'public_key',
      pem: input.pem ?? '',
      kid,
      ...(expiresAt ? { expires_at: new Date(expiresAt).toISOString() } : {}),
    };
  }
  if (input.credential_type === 'cert_subject_dn') {
    const subject = input.subject_dn ?? subjectDn(certificate(input.pem));
    return {
      ...base,
      credential_type: 'cert_subject_dn',
      pem: input.pem ?? '',
      kid: `tls:${id}`,
      subject_dn: subject,
    };
  }
  const cert = certificate(input.pem);
  return {
    ...base,
    credential_type: 'x509_cert',
    pem: input.pem ?? '',
    kid: `tls:${id}`,
    thumbprint_sha256: createHash('sha256').update(cert.raw).digest('base64url'),
    expires_at: new Date(cert.validTo).toISOString(),
  };
}

/**
 * API view of a credential: never the PEM; kid and alg only for public keys. A single read or a list shows
 * `expires_at: null` when the credential does not expire; a create does not (recorded TestClient_GetCredentials).
 */
export function credentialResponse(
  credential: ClientCredentialRecord,
  view: 'created' | 'read' = 'read',
): Record<string, unknown> {
  const { pem: _pem, kid, alg, expires_at, ...rest } = credential;
  return {
    ...rest,
    ...(credential.credential_type === 'public_key' ? { kid, alg } : {}),
    ...(expires_at ? { expires_at } : view === 'read' ? { expires_at: null } : {}),
  };
}
