// Finds the id the target tenant gave a client, by the client's name in tenant.yaml — ids differ per tenant and
// nobody should copy them by hand. Uses a Management API token from the deploy client's credentials.
import { z } from 'zod';
import { parseJson, sendRequest } from '../lib/https-request.js';

/** The SPA client's name in tenant/tenant.yaml. */
export const SPA_CLIENT_NAME = 'Banking SPA';

export interface ManagementTarget {
  /** Tenant domain without scheme. */
  domain: string;
  clientId: string;
  /** Required here: the lookup authenticates with a client secret (private_key_jwt targets pass SPA_CLIENT_ID instead). */
  clientSecret?: string;
  caCertPem?: string;
}

const tokenResponseSchema = z.object({ access_token: z.string().min(1) });
const clientsPageSchema = z.object({
  clients: z.array(z.object({ client_id: z.string(), name: z.string() })),
  total: z.number().int().nonnegative(),
});

async function managementToken(target: ManagementTarget): Promise<string> {
  if (!target.clientSecret)
    throw new Error(
      `tenant ${target.domain}: looking up a client by name needs AUTH0_CLIENT_SECRET (or set SPA_CLIENT_ID)`,
    );
  const response = await sendRequest(`https://${target.domain}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_id: target.clientId,
      client_secret: target.clientSecret,
      audience: `https://${target.domain}/api/v2/`,
    }),
    ...(target.caCertPem ? { caCertPem: target.caCertPem } : {}),
  });
  if (response.status !== 200) {
    throw new Error(
      `POST https://${target.domain}/oauth/token (client ${target.clientId}): HTTP ${response.status} ${response.text.slice(0, 200)}`,
    );
  }
  return tokenResponseSchema.parse(parseJson(response, 'token response')).access_token;
}

export async function findClientIdByName(target: ManagementTarget, name: string): Promise<string> {
  const token = await managementToken(target);
  const matches: string[] = [];
  const names: string[] = [];
  for (let page = 0; ; page++) {
    const url = `https://${target.domain}/api/v2/clients?fields=client_id,name&include_fields=true&include_totals=true&per_page=100&page=${page}`;
    const response = await sendRequest(url, {
      headers: { authorization: `Bearer ${token}` },
      ...(target.caCertPem ? { caCertPem: target.caCertPem } : {}),
    });
    if (response.status !== 200)
      throw new Error(`GET ${url}: HTTP ${response.status} ${response.text.slice(0, 200)}`);
    const { clients, total } = clientsPageSchema.parse(parseJson(response, `GET ${url}`));
    for (const client of clients) {
      names.push(client.name);
      if (client.name === name) matches.push(client.client_id);
    }
    if (clients.length === 0 || (page + 1) * 100 >= total) break;
  }
  if (matches.length !== 1) {
    throw new Error(
      `tenant ${target.domain}: expected exactly one client named "${name}", found ${matches.length} ` +
        `(clients: ${names.join(', ') || 'none'}). Deploy tenant/ first (npm run deploy).`,
    );
  }
  return matches[0]!;
}
