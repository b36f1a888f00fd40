// A read-only stand-in that answers the deploy engine's GETs with bodies Auth0 really returned (the recorded
// responses in fixtures/auth0-responses/), over real HTTPS, so the resource modules parse them through the same
// auth0 SDK, resilient fetch and planner the CLI uses. Anything else is answered 404 and recorded, so a test can
// assert that planning made no request the stand-in does not know (and no write at all).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { ensureTlsMaterial } from '../../local-tenant/tls.js';
import type { Target } from '../../deploy/target/target.js';
import { testCaDir } from '../helpers/local-tenant.js';

type Json = Record<string, unknown>;

/** The recorded body of one fixture file, parsed afresh (tests may change their copy). */
export function recorded<T = Json>(file: string): T {
  return JSON.parse(
    readFileSync(new URL(`fixtures/auth0-responses/${file}`, import.meta.url), 'utf8'),
  ) as T;
}

/** What the stand-in serves: live objects per type, wrapped in the list envelopes Auth0 uses. */
export interface RecordedState {
  resourceServers: Json[];
  clients: Json[];
  clientGrants: Json[];
  connections: Json[];
  actions: Json[];
  bindings: Record<string, Json[]>;
  guardianFactors: Json[];
  guardianPolicies: string[];
  tenantSettings: Json;
  users: Json[];
}

export interface RecordedTenant {
  target: Target;
  state: RecordedState;
  /** Requests the stand-in could not answer (unknown path or a write). */
  unanswered: string[];
  /** Every request, as "METHOD /path?query". */
  requests: string[];
  close(): Promise<void>;
}

// Envelopes as in the recordings: offset pages {total,start,limit,<items>} for resource servers, clients and
// grants (include_totals=true), {<items>,total,page,per_page} for actions and bindings, a checkpoint page
// {<items>} (no `next`: the last page) for connections read with `take`, bare arrays for the rest.
function route(state: RecordedState, path: string, query: URLSearchParams): unknown {
  const offsetPage = (key: string, items: Json[]) => ({
    total: items.length,
    start: 0,
    limit: 100,
    [key]: items,
  });
  const numberedPage = (key: string, items: Json[]) => ({
    [key]: items,
    total: items.length,
    page: 0,
    per_page: Number(query.get('per_page') ?? 50),
  });
  if (path === '/api/v2/resource-servers')
    return offsetPage('resource_servers', state.resourceServers);
  if (path === '/api/v2/clients') return offsetPage('clients', state.clients);
  if (path === '/api/v2/client-grants') return offsetPage('client_grants', state.clientGrants);
  if (path === '/api/v2/connections')
    return {
      connections: state.connections.filter(
        (connection) => !query.get('strategy') || connection.strategy === query.get('strategy'),
      ),
    };
  if (path === '/api/v2/actions/actions') return numberedPage('actions', state.actions);
  const trigger = /^\/api\/v2\/actions\/triggers\/([^/]+)\/bindings$/.exec(path)?.[1];
  if (trigger) return numberedPage('bindings', state.bindings[trigger] ?? []);
  if (path === '/api/v2/guardian/factors') return state.guardianFactors;
  if (path === '/api/v2/guardian/policies') return state.guardianPolicies;
  if (path === '/api/v2/tenants/settings') return state.tenantSettings;
  if (path === '/api/v2/users-by-email')
    return state.users.filter((user) => user.email === query.get('email'));
  return undefined;
}

export async function startRecordedTenant(state: RecordedState): Promise<RecordedTenant> {
  const tls = await ensureTlsMaterial(testCaDir());
  const unanswered: string[] = [];
  const requests: string[] = [];
  const send = (response: ServerResponse, status: number, body: unknown): void => {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(body));
  };
  const server = createServer(
    { key: tls.serverKeyPem, cert: tls.serverCertPem },
    (request: IncomingMessage, response: ServerResponse) => {
      request.resume();
      request.on('end', () => {
        const url = new URL(request.url ?? '/', 'https://127.0.0.1');
        const line = `${request.method} ${url.pathname}${url.search}`;
        requests.push(line);
        // The SDK's client-credentials exchange: any token will do, the stand-in never checks it.
        if (request.method === 'POST' && url.pathname === '/oauth/token')
          return send(response, 200, {
            access_token: 'recorded-responses',
            token_type: 'Bearer',
            expires_in: 86_400,
          });
        const body =
          request.method === 'GET' ? route(state, url.pathname, url.searchParams) : undefined;
        if (body !== undefined) return send(response, 200, body);
        unanswered.push(line);
        send(response, 404, { statusCode: 404, error: 'Not Found', message: 'Not Found' });
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    target: {
      domain: `127.0.0.1:${port}`,
      env: 'local',
      clientId: 'deploy-client',
      clientSecret: 'not-a-secret',
      caCertPem: tls.caCertPem,
      source: 'environment',
    },
    state,
    unanswered,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
