// A local certificate authority and a 127.0.0.1/localhost server certificate, generated on first start and
// kept on disk so tools can trust the CA once (NODE_EXTRA_CA_CERTS) across restarts.
import { webcrypto, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
// @peculiar/x509 (via tsyringe) needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { writeFileAtomic } from './state/atomic-file.js';

// Node's global Web Crypto (node:crypto's webcrypto, typed as the DOM's Crypto).
x509.cryptoProvider.set(globalThis.crypto);

const ecdsa = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const signingAlgorithm = { name: 'ECDSA', hash: 'SHA-256' } as const;

export interface TlsMaterial {
  caCertPem: string;
  caCertPath: string;
  serverCertPem: string;
  serverKeyPem: string;
}

function toPem(label: string, der: ArrayBuffer): string {
  const base64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trimEnd();
  return `-----BEGIN ${label}-----\n${base64}\n-----END ${label}-----\n`;
}

async function exportPrivateKeyPem(key: CryptoKey): Promise<string> {
  return toPem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', key));
}

async function importPrivateKeyPem(pem: string): Promise<CryptoKey> {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return webcrypto.subtle.importKey('pkcs8', der, ecdsa, true, ['sign']);
}

function randomSerial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
    .toString('hex')
    .replace(/^[89a-f]/, '1');
}

async function createCa(): Promise<{ certPem: string; keyPem: string }> {
  const keys = await webcrypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: 'CN=Local Tenant Development CA',
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 10 * 365 * 24 * 3600_000),
    keys,
    signingAlgorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return {
    certPem: cert.toString('pem') + '\n',
    keyPem: await exportPrivateKeyPem(keys.privateKey),
  };
}

async function createServerCert(
  caCertPem: string,
  caKeyPem: string,
): Promise<{ certPem: string; keyPem: string }> {
  const caCert = new x509.X509Certificate(caCertPem);
  const caKey = await importPrivateKeyPem(caKeyPem);
  const keys = await webcrypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: 'CN=127.0.0.1',
    issuer: caCert.subject,
    notBefore: new Date(now - 60_000),
    // Under 398 days so strict TLS clients accept it.
    notAfter: new Date(now + 365 * 24 * 3600_000),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'ip', value: '127.0.0.1' },
        { type: 'dns', value: 'localhost' },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return {
    certPem: cert.toString('pem') + '\n',
    keyPem: await exportPrivateKeyPem(keys.privateKey),
  };
}

function stillValid(certPem: string): boolean {
  try {
    const cert = new X509Certificate(certPem);
    return new Date(cert.validTo).getTime() > Date.now() + 24 * 3600_000;
  } catch {
    return false;
  }
}

/** Loads the CA and server certificate from `dir`, creating (or renewing) whatever is missing or expiring. */
export async function ensureTlsMaterial(dir: string): Promise<TlsMaterial> {
  mkdirSync(dir, { recursive: true });
  const caCertPath = join(dir, 'ca.crt');
  const caKeyPath = join(dir, 'ca.key');
  const serverCertPath = join(dir, 'server.crt');
  const serverKeyPath = join(dir, 'server.key');

  let caCertPem = existsSync(caCertPath) ? readFileSync(caCertPath, 'utf8') : '';
  let caKeyPem = existsSync(caKeyPath) ? readFileSync(caKeyPath, 'utf8') : '';
  let caRenewed = false;
  if (!caCertPem || !caKeyPem || !stillValid(caCertPem)) {
    ({ certPem: caCertPem, keyPem: caKeyPem } = await createCa());
    writeFileAtomic(caKeyPath, caKeyPem, 0o600);
    writeFileAtomic(caCertPath, caCertPem);
    caRenewed = true;
  }
  let serverCertPem = existsSync(serverCertPath) ? readFileSync(serverCertPath, 'utf8') : '';
  let serverKeyPem = existsSync(serverKeyPath) ? readFileSync(serverKeyPath, 'utf8') : '';
  if (caRenewed || !serverCertPem || !serverKeyPem || !stillValid(serverCertPem)) {
    ({ certPem: serverCertPem, keyPem: serverKeyPem } = await createServerCert(
      caCertPem,
      caKeyPem,
    ));
    writeFileAtomic(serverKeyPath, serverKeyPem, 0o600);
    writeFileAtomic(serverCertPath, serverCertPem);
  }
  return { caCertPem, caCertPath, serverCertPem, serverKeyPem };
}
