// npm run keys [-- --rotate] [--dir keys]: the resource server's key pair (seed 003).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { KeyError, createKeys, rotateKeys } from '../deploy/keys.js';

/** Same fingerprint the plan shows for a PEM, so a reviewer can match them. */
function fingerprint(path: string): string {
  return `sha256:${createHash('sha256').update(readFileSync(path, 'utf8')).digest('hex').slice(0, 16)}`;
}

const { values } = parseArgs({
  options: {
    rotate: { type: 'boolean', default: false },
    dir: { type: 'string', default: 'keys' },
  },
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
