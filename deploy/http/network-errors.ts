// What a failed connection means, so the deploy retries only what may heal on its own. A name that does not
// resolve or a certificate the machine does not trust fails the same way on every retry: stop at once and say
// what to fix. Refused or dropped connections (a tenant restarting, a flaky network) are worth a few retries.

export type NetworkFailureKind = 'dns' | 'tls' | 'unreachable' | 'connection' | 'timeout';

export interface NetworkFailure {
  kind: NetworkFailureKind;
  /** The system or TLS error code, e.g. ENOTFOUND, UNABLE_TO_VERIFY_LEAF_SIGNATURE. */
  code: string;
  retryable: boolean;
}

const dnsCodes = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA']);
// A connect timeout (the socket never opened) is unreachable too: the connect timeout is already seconds long.
const unreachableCodes = new Set([
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const tlsCodes = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);
const timeoutCodes = new Set(['ETIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT']);

/** The codes on an error and its causes (fetch wraps the socket's error as `cause`). */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== 'object') break;
    if ('code' in current && typeof current.code === 'string') codes.push(current.code);
    const cause = 'cause' in current ? current.cause : undefined;
    // AggregateError (several addresses tried): look at the first.
    const errors = 'errors' in current && Array.isArray(current.errors) ? current.errors : [];
    current = cause ?? errors[0];
  }
  return codes;
}

export function classifyNetworkError(error: unknown): NetworkFailure {
  const codes = codesOf(error);
  const find = (set: Set<string>) => codes.find((code) => set.has(code));
  const dns = find(dnsCodes);
  if (dns) return { kind: 'dns', code: dns, retryable: false };
  const tls = find(tlsCodes) ?? codes.find((code) => /^(ERR_SSL_|ERR_TLS_|CERT_)/.test(code));
  if (tls) return { kind: 'tls', code: tls, retryable: false };
  const unreachable = find(unreachableCodes);
  if (unreachable) return { kind: 'unreachable', code: unreachable, retryable: false };
  const timeout = find(timeoutCodes);
  if (timeout) return { kind: 'timeout', code: timeout, retryable: true };
  return { kind: 'connection', code: codes[0] ?? 'unknown', retryable: true };
}

/** One sentence: what went wrong talking to host, and what to do about it. */
export function describeNetworkFailure(failure: NetworkFailure, host: string): string {
  switch (failure.kind) {
    case 'dns':
      return (
        `cannot resolve ${host} (${failure.code}). Check AUTH0_DOMAIN — the tenant's domain as the Auth0 dashboard ` +
        'shows it, e.g. my-bank-dev.eu.auth0.com, without https:// — and that this machine can resolve names.'
      );
    case 'tls':
      return (
        `the TLS certificate of ${host} is not trusted (${failure.code}). For the local tenant set ` +
        'NODE_EXTRA_CA_CERTS=.local-tenant/ca.crt; behind a TLS-inspecting proxy add its CA to NODE_EXTRA_CA_CERTS; ' +
        'otherwise check that AUTH0_DOMAIN names the tenant and not another host.'
      );
    case 'unreachable':
      return `${host} is unreachable (${failure.code}): no connection within seconds. Check AUTH0_DOMAIN and the network connection, VPN or proxy.`;
    case 'timeout':
      return `${host} did not answer in time (${failure.code}). Check the network, or retry later.`;
    default:
      return (
        `the connection to ${host} failed (${failure.code}). If this is the local tenant, start it ` +
        '(npm run local-tenant); otherwise check the network and AUTH0_DOMAIN.'
      );
  }
}
