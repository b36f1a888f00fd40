// npm run keys [-- --rotate] [--dir keys]: the resource server's key pair.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { parseCommandLineOrExit } from '../lib/cli-args.js';
import { KeyError, createKeys, keyPaths, rotateKeys } from '../deploy/keys.js';

/** Same fingerprint the plan shows for a PEM, so a reviewer can match them. */
function fingerprint(path: string): string {
  return `sha256:${createHash('sha256').update(readFileSync(path, 'utf8')).digest('hex').slice(0, 16)}`;
}

const { values } = parseCommandLineOrExit({
  command: 'npm run keys --',
  name: 'keys',
  summary:
    "Creates the banking API's key pair once (the private key is git-ignored; the public key is the API's\n" +
    'verificationKey). Run again it keeps the existing pair; --rotate prepares the next one.',
  options: {
    rotate: {
      type: 'boolean',
      description: 'prepare the next key pair; the next deploy publishes it and promotes it',
    },
    dir: {
      type: 'string',
      default: 'keys',
      value: '<dir>',
      description: 'where the key files live',
    },
  },
  examples: ['npm run keys', 'npm run keys -- --rotate'],
});
try {
  if (values.rotate) {
    const paths = rotateKeys(values.dir);
    console.log(
      `Prepared the next key pair: ${paths.nextPrivateKey} (private, git-ignored) and ${paths.nextPublicKey} (${fingerprint(paths.nextPublicKey)}).`,
    );
    console.log(
      'The current key stays in use and valid. The next `npm run deploy` publishes the new public key as the',
    );
    console.log(
      "API's verificationKey and then promotes it to current; restart the banking API after that deploy.",
    );
  } else if (existsSync(keyPaths(values.dir).privateKey)) {
    // Not an error: `npm run deploy` makes the pair for the local tenant, and the README's steps run this after it.
    const paths = keyPaths(values.dir);
    console.log(
      `The key pair already exists: ${paths.privateKey} (private) and ${paths.publicKey} (${fingerprint(paths.publicKey)}). Nothing changed; --rotate prepares a new one.`,
    );
  } else {
    const paths = createKeys(values.dir);
    console.log(
      `Created ${paths.privateKey} (private, git-ignored, mode 600) and ${paths.publicKey} (public key, the verificationKey, ${fingerprint(paths.publicKey)}).`,
    );
    console.log(
      'In CI, pass the private key PEM in RESOURCE_SERVER_PRIVATE_KEY instead of a file.',
    );
  }
} catch (error) {
  if (error instanceof KeyError) {
    console.error(`keys: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
