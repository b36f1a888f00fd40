// The resource server's private key, which signs the client assertion for /oauth/introspect
// (docs/asp.md). Same sources, in the same order, as `npm run keys` and the banking API use:
// RESOURCE_SERVER_PRIVATE_KEY (CI secret), RESOURCE_SERVER_PRIVATE_KEY_PATH, then the git-ignored
// keys/resource-server.private.pem. During a rotation the *current* key is the right one: the
// tenant trusts the next key only after a deploy has published (and promoted) it.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { keyPaths } from '../deploy/keys.js';
import { ToolError } from './errors.js';
import { errorCode, errorMessage } from '../lib/guards.js';

export interface PrivateKeyOptions {
  variables?: NodeJS.ProcessEnv;
  /** Explicit key file (--key); wins over the environment. */
  path?: string;
  /** Key directory of `npm run keys` (default keys). */
  dir?: string;
}

export interface ResourceServerPrivateKey {
  key: KeyObject;
  /** Where it came from, for messages (never the key itself). */
  origin: string;
}

function parsePrivateKey(pem: string, origin: string): ResourceServerPrivateKey {
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'rsa')
      throw new Error(`expected an RSA key, got ${key.asymmetricKeyType ?? 'unknown'}`);
    return { key, origin };
  } catch (error) {
    throw new ToolError(`${origin} is not a usable RSA private key (${errorMessage(error)})`);
  }
}

export function loadResourceServerPrivateKey(
  options: PrivateKeyOptions = {},
): ResourceServerPrivateKey {
  const variables = options.variables ?? process.env;
  const fromEnv = variables.RESOURCE_SERVER_PRIVATE_KEY?.trim();
  if (!options.path && fromEnv)
    return parsePrivateKey(fromEnv.replace(/\\n/g, '\n'), 'RESOURCE_SERVER_PRIVATE_KEY');
  const path =
    options.path ??
    (variables.RESOURCE_SERVER_PRIVATE_KEY_PATH?.trim() || keyPaths(options.dir).privateKey);
  if (!existsSync(path)) {
    throw new ToolError(
      `no resource server private key: ${path} does not exist and RESOURCE_SERVER_PRIVATE_KEY is not set. ` +
        'Run `npm run keys` and deploy (npm run deploy) so the tenant knows its public key.',
    );
  }
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ToolError(`cannot read ${path} (${errorCode(error) ?? errorMessage(error)})`);
  }
  return parsePrivateKey(pem, path);
}
