// The banking API fetches the tenant's JWKS with Node's global fetch, which only trusts the bundled roots (and
// NODE_EXTRA_CA_CERTS, read once at start-up — too early for a CA the demo creates). In-process, the demo adds the
// local tenant's CA to fetch's global dispatcher for its own lifetime and puts the previous one back afterwards.
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
