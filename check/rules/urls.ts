// URL rules shared by clients' callbacks, logout URLs and web origins.

/** Why a URL is unsafe for a production-like tenant, or undefined when it is fine. */
export function unsafeUrlReason(url: string, development: boolean): string | undefined {
  if (url.includes('*')) return 'a wildcard';
  if (development) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not an absolute URL';
  }
  if (parsed.protocol === 'http:') return 'plain http';
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '::1')
    return 'a loopback host';
  return undefined;
}
