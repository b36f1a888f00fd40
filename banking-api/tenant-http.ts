// Form-encoded POSTs to the tenant's Authentication API (/oauth/token, /oauth/introspect). A tenant that cannot
// be reached is our outage, never the caller's mistake: it surfaces as 503.
import { unavailable } from './errors.js';

export async function postForm(
  url: string,
  form: URLSearchParams,
  timeoutMs = 5_000,
): Promise<Response> {
  try {
    return await fetch(url, {
      method: 'POST',
      body: form,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
  } catch {
    throw unavailable(`the authorization server is unreachable (${new URL(url).pathname})`);
  }
}
