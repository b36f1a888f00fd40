// npm run keys [-- --rotate] [--dir keys]: the resource server's key pair (seed 003).
import { parseArgs } from 'node:util';
import { KeyError, createKeys, rotateKeys } from '../deploy/keys.js';

const { values } = parseArgs({ options: { rotate: { type: 'boolean', default: false }, dir: { type: 'string', default: 'keys' } } });
try {
  if (values.rotate) {
    const paths = rotateKeys(values.dir);
    console.log(`Prepared the next key pair: ${paths.nextPrivateKey} (private, git-ignored) and ${paths.nextPublicKey}.`);
    console.log('The current key stays in use and valid. The next `npm run deploy` publishes the new public key as the');
    console.log("API's verificationKey and then promotes it to current; restart the banking API after that deploy.");
  } else {
    const paths = createKeys(values.dir);
    console.log(`Created ${paths.privateKey} (private, git-ignored, mode 600) and ${paths.publicKey} (public key, the verificationKey).`);
    console.log('In CI, pass the private key PEM in RESOURCE_SERVER_PRIVATE_KEY instead of a file.');
  }
} catch (error) {
  if (error instanceof KeyError) {
    console.error(`keys: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
