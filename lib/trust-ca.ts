// Node's global fetch trusts only the bundled roots and NODE_EXTRA_CA_CERTS, which is read once at start-up — too
// early for a local tenant's CA created or found later. Code that must reach a local tenant through global fetch
// (auth0-deploy-cli, the banking API's JWKS fetch in the demo) adds the CA to fetch's global dispatcher, keeping
// the public roots, and can put the previous dispatcher back afterwards.
import { rootCertificates } from 'node:tls';
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';

export function trustCaForFetch(caCertPem: string): () => Promise<void> {
  const previous = getGlobalDispatcher();
  const agent = new Agent({ connect: { ca: [...rootCertificates, caCertPem] } });
  setGlobalDispatcher(agent);
  return async () => {
    setGlobalDispatcher(previous);
    await agent.close();
  };
}
