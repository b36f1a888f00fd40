// The tenant's signing certificate as Auth0 lists it on every client (`signing_keys: [{ cert }]`): a
// self-signed X.509 certificate for the current token-signing key, made once per key.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import type { TenantContext } from '../context.js';

// Node's global Web Crypto (the same object as node:crypto's webcrypto, typed as the DOM's Crypto).
x509.cryptoProvider.set(globalThis.crypto);

const rsa = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
const certificates = new Map<string, Promise<string>>();

async function selfSigned(privateKeyPem: string, domain: string): Promise<string> {
  const privateDer = createPrivateKey(privateKeyPem).export({ format: 'der', type: 'pkcs8' });
  const publicDer = createPublicKey(privateKeyPem).export({ format: 'der', type: 'spki' });
  const keys: CryptoKeyPair = {
    privateKey: await globalThis.crypto.subtle.importKey('pkcs8', privateDer, rsa, false, ['sign']),
    publicKey: await globalThis.crypto.subtle.importKey('spki', publicDer, rsa, true, ['verify']),
  };
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=${domain.replace(/:\d+$/, '')}`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 10 * 365 * 24 * 3600_000),
    keys,
    signingAlgorithm: rsa,
  });
  return cert.toString('pem');
}

/** `signing_keys` of a client response: the certificate of the key that signs this tenant's tokens. */
export async function clientSigningKeys(tenant: TenantContext): Promise<{ cert: string }[]> {
  const key = tenant.store.snapshot.signing_keys.find(
    (candidate) => candidate.status === 'current',
  );
  if (!key) return [];
  let certificate = certificates.get(key.kid);
  if (!certificate) {
    certificate = selfSigned(key.private_key_pem, tenant.domain);
    certificates.set(key.kid, certificate);
  }
  return [{ cert: await certificate }];
}
