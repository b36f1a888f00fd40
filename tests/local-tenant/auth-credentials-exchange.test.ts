// The credentials-exchange trigger in the local tenant: Actions bound to it run on every client-credentials token
// request, in binding order, with Auth0's event shape; api.access.deny(code, reason) refuses the token with that
// code, api.accessToken.setCustomClaim adds claims (restricted names dropped).
import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { useLocalTenant } from '../helpers/local-tenant.js';

const lt = useLocalTenant();
const AUDIENCE = 'https://cx-api.example';

async function deployAction(name: string, body: string, secrets: Record<string, string> = {}) {
  const action = await lt.management.actions.create({
    name,
    supported_triggers: [{ id: 'credentials-exchange', version: 'v2' }],
    code: `exports.onExecuteCredentialsExchange = async (event, api) => {\n${body}\n};`,
    secrets: Object.entries(secrets).map(([secret, value]) => ({ name: secret, value })),
  });
  for (let attempt = 0; attempt < 200; attempt++) {
    if ((await lt.management.actions.get(action.id!)).status === 'built') break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await lt.management.actions.deploy(action.id!);
}

async function machine(name: string, metadata: Record<string, string> = {}) {
  const client = await lt.management.clients.create({
    name,
    app_type: 'non_interactive',
    grant_types: ['client_credentials'],
    token_endpoint_auth_method: 'client_secret_post',
    client_metadata: metadata,
  });
  await lt.management.clientGrants.create({
    client_id: client.client_id!,
    audience: AUDIENCE,
    scope: ['read:things'],
  });
  return { id: client.client_id!, secret: client.client_secret! };
}

async function token(client: { id: string; secret: string }) {
  const response = await fetch(`${lt.tenant.baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'cx-test/1' },
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_id: client.id,
      client_secret: client.secret,
      audience: AUDIENCE,
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  await lt.management.resourceServers.create({
    name: 'CX API',
    identifier: AUDIENCE,
    scopes: [{ value: 'read:things' }],
  });
  // The first Action records what it saw and sets claims; the second sees them and denies on metadata.
  await deployAction(
    'cx-stamp',
    `api.accessToken.setCustomClaim(event.secrets.NS + '/seen', {
       client: event.client, scope: event.accessToken.scope, api: event.resource_server.identifier,
       tenant: event.tenant.id, body: event.request.body, ua: event.request.user_agent,
       requested: event.transaction.requested_scopes });
     api.accessToken.setCustomClaim('sub', 'forged');
     api.accessToken.setCustomClaim('gty', 'forged');`,
    { NS: 'https://cx.example' },
  );
  await deployAction(
    'cx-gate',
    `if (event.client.metadata.mode === 'deny') api.access.deny('invalid_request', 'not today: ' + Object.keys(event.accessToken.customClaims).join(','));
     if (event.client.metadata.mode === 'bad-code') api.access.deny('access_denied', 'x');
     if (event.client.metadata.mode === 'throw') throw new Error('boom');`,
  );
  await lt.management.actions.triggers.bindings.updateMany('credentials-exchange', {
    bindings: [
      { ref: { type: 'action_name', value: 'cx-stamp' } },
      { ref: { type: 'action_name', value: 'cx-gate' } },
    ],
  });
});

describe('credentials-exchange Actions at /oauth/token', () => {
  it('run with the documented event and add their claims; restricted claims are dropped', async () => {
    const client = await machine('CX Allowed', { tier: 'gold' });
    const { status, body } = await token(client);
    expect(status).toBe(200);
    const claims = decodeJwt(String(body.access_token));
    expect(claims.sub).toBe(`${client.id}@clients`);
    expect(claims.gty).toBe('client-credentials');
    expect(claims['https://cx.example/seen']).toEqual({
      client: { client_id: client.id, name: 'CX Allowed', metadata: { tier: 'gold' } },
      scope: ['read:things'],
      api: AUDIENCE,
      tenant: 'local',
      // The body reaches the Action without the client's secret.
      body: { grant_type: 'client_credentials', client_id: client.id, audience: AUDIENCE },
      ua: 'cx-test/1',
      requested: [],
    });
  });

  it('refuse the token with the code and reason of api.access.deny; a later Action sees earlier claims', async () => {
    const { status, body } = await token(await machine('CX Denied', { mode: 'deny' }));
    expect(status).toBe(403);
    expect(body).toEqual({
      error: 'invalid_request',
      error_description: 'not today: https://cx.example/seen',
    });
  });

  it('answer access_denied when an Action throws or denies with an undocumented code', async () => {
    for (const mode of ['throw', 'bad-code']) {
      const { status, body } = await token(await machine(`CX ${mode}`, { mode }));
      expect(status).toBe(403);
      expect(body.error).toBe('access_denied');
      expect(String(body.error_description)).toMatch(mode === 'throw' ? /boom/ : /code must be/);
    }
  });
});
