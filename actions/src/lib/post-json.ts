// One authenticated JSON POST to one of the bank's services, as the notifying Actions make it: Bearer token from
// a secret, a bounded wait (Actions share a 20 s budget), and an error naming the status so Auth0's logs show it.

export interface ServiceEndpoint {
  url: string;
  token: string;
}

/** The endpoint from two secrets, or an error naming the missing one (fail loudly, never silently skip). */
export function endpointFromSecrets(
  secrets: Readonly<Record<string, string | undefined>>,
  urlName: string,
  tokenName: string,
): ServiceEndpoint {
  const url = secrets[urlName];
  const token = secrets[tokenName];
  if (!url) throw new Error(`secret ${urlName} is not set`);
  if (!token) throw new Error(`secret ${tokenName} is not set`);
  return { url, token };
}

export async function postJson(
  endpoint: ServiceEndpoint,
  body: unknown,
  timeoutMs = 5000,
): Promise<void> {
  const response = await fetch(endpoint.url, {
    method: 'POST',
    headers: { authorization: `Bearer ${endpoint.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok)
    throw new Error(`POST ${new URL(endpoint.url).host} answered ${response.status}`);
}
