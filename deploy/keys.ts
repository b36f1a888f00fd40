// The resource server's key pair (seed 003). The private key stays out of git (keys/*.private.pem is ignored, or CI
// passes it in RESOURCE_SERVER_PRIVATE_KEY); the public key, as SPKI PEM, is the API's `verificationKey`.
//
// Rotation without a gap: `keys --rotate` only prepares a *next* pair. The banking API keeps signing with the
// current key — which the tenant still trusts — until a deploy has published the next public key; that deploy then
// promotes next → current. Auth0's verificationKey holds one key, so this ordering is what keeps it valid throughout.
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface KeyPaths {
  privateKey: string;
  publicKey: string;
  nextPrivateKey: string;
  nextPublicKey: string;
}

export function keyPaths(dir = 'keys'): KeyPaths {
  return {
    privateKey: join(dir, 'resource-server.private.pem'),
    publicKey: join(dir, 'resource-server.public.pem'),
    nextPrivateKey: join(dir, 'resource-server.next.private.pem'),
    nextPublicKey: join(dir, 'resource-server.next.public.pem'),
  };
}

export class KeyError extends Error {
  override name = 'KeyError';
}

function newPair(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function writePair(
  privatePath: string,
  publicPath: string,
  pair: { privatePem: string; publicPem: string },
): void {
  writeFileSync(privatePath, pair.privatePem, { mode: 0o600 });
  writeFileSync(publicPath, pair.publicPem);
}

/** Creates the current pair; refuses to overwrite one (that would lock the API out — use rotate). */
export function createKeys(dir = 'keys'): KeyPaths {
  const paths = keyPaths(dir);
  if (existsSync(paths.privateKey))
    throw new KeyError(`${paths.privateKey} already exists; use --rotate to replace it safely`);
  mkdirSync(dir, { recursive: true });
  writePair(paths.privateKey, paths.publicKey, newPair());
  return paths;
}

export function rotateKeys(dir = 'keys'): KeyPaths {
  const paths = keyPaths(dir);
  if (!existsSync(paths.privateKey))
    throw new KeyError(`${paths.privateKey} does not exist; run npm run keys first`);
  if (existsSync(paths.nextPrivateKey))
    throw new KeyError(
      `a rotation is already pending (${paths.nextPrivateKey}); deploy to publish it first`,
    );
  writePair(paths.nextPrivateKey, paths.nextPublicKey, newPair());
  return paths;
}

export interface VerificationKey {
  /** SPKI PEM to publish as the resource server's verificationKey. */
  publicPem: string;
  /** Present when a deploy publishing this key must promote the prepared next pair afterwards. */
  promote?: () => void;
  source: 'environment' | 'file' | 'next-file' | 'generated';
}

export interface VerificationKeyOptions {
  dir?: string;
  variables?: NodeJS.ProcessEnv;
  /** Create the pair when missing (--env local: a fresh clone deploys without setup). */
  createIfMissing?: boolean;
}

export function publicKeyFromPrivatePem(pem: string, origin: string): string {
  try {
    return createPublicKey(pem).export({ type: 'spki', format: 'pem' }).toString();
  } catch (error) {
    throw new KeyError(
      `${origin} is not a usable private key (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

export function resolveVerificationKey(options: VerificationKeyOptions = {}): VerificationKey {
  const variables = options.variables ?? process.env;
  const fromEnv = variables.RESOURCE_SERVER_PRIVATE_KEY?.trim();
  if (fromEnv)
    return {
      publicPem: publicKeyFromPrivatePem(
        fromEnv.replace(/\\n/g, '\n'),
        'RESOURCE_SERVER_PRIVATE_KEY',
      ),
      source: 'environment',
    };

  const dir = options.dir ?? 'keys';
  const paths = keyPaths(dir);
  const privatePath = variables.RESOURCE_SERVER_PRIVATE_KEY_PATH?.trim() || paths.privateKey;
  if (existsSync(paths.nextPrivateKey)) {
    const publicPem = publicKeyFromPrivatePem(
      readFileSync(paths.nextPrivateKey, 'utf8'),
      paths.nextPrivateKey,
    );
    return {
      publicPem,
      source: 'next-file',
      promote: () => {
        renameSync(paths.nextPrivateKey, paths.privateKey);
        renameSync(paths.nextPublicKey, paths.publicKey);
      },
    };
  }
  if (!existsSync(privatePath)) {
    if (!options.createIfMissing) {
      throw new KeyError(
        `no resource server key: ${privatePath} is missing and RESOURCE_SERVER_PRIVATE_KEY is not set (run npm run keys)`,
      );
    }
    createKeys(dir);
    return { publicPem: readFileSync(paths.publicKey, 'utf8'), source: 'generated' };
  }
  return {
    publicPem: publicKeyFromPrivatePem(readFileSync(privatePath, 'utf8'), privatePath),
    source: 'file',
  };
}
