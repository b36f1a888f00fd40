// POST /oauth/token client_credentials with every client authentication method, JWKS and key rotation,
// and Management API token checks (scope, expiry, forgery) — raw HTTPS plus the SDK's private_key_jwt.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManagementClient } from 'auth0';
import { SignJWT, createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { useLocalTenant } from '../helpers/local-tenant.js';

const lt = useLocalTenant();

async function token(params: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(`${lt.tenant.baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

async function m2mClientWithGrant(audience: string, scope: string[]) {
  const client = await lt.management.clients.create({
    name: `m2m ${randomUUID()}`,
    app_type: 'non_interactive',
  });
  await lt.management.clientGrants.create({ client_id: client.client_id!, audience, scope });
  return client;
}

describe('client_credentials', () => {
  it('issues an RS256 access token with Auth0 M2M claims, verifiable with the JWKS', async () => {
    await lt.management.resourceServers.create({
      identifier: 'https://my-banking-api',
      name: 'Banking',
      scopes: [{ value: 'view:balance' }, { value: 'transfer:funds' }],
    });
    const client = await m2mClientWithGrant('https://my-banking-api', ['view:balance']);
    const { status, body } = await token({
      grant_type: 'client_credentials',
      client_id: client.client_id!,
      client_secret: client.client_secret!,
      audience: 'https://my-banking-api',
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 86400, scope: 'view:balance' });

    const jwks = (await (await fetch(`${lt.tenant.baseUrl}/.well-known/jwks.json`)).json()) as {
      keys: { kid: string }[];
    };
    const { payload, protectedHeader } = await jwtVerify(
      body.access_token!,
      createLocalJWKSet(jwks as never),
      { issuer: `${lt.tenant.baseUrl}/`, audience: 'https://my-banking-api' },
    );
    expect(protectedHeader.alg).toBe('RS256');
    expect(jwks.keys.map((key) => key.kid)).toContain(protectedHeader.kid);
    expect(payload).toMatchObject({
      sub: `${client.client_id}@clients`,
      gty: 'client-credentials',
      azp: client.client_id,
      scope: 'view:balance',
    });
    expect(payload.jti).toBeUndefined();
  });

  it('accepts client_secret_basic', async () => {
    const client = await m2mClientWithGrant('https://my-banking-api', ['view:balance']);
    const basic = Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64');
    const { status } = await token(
      { grant_type: 'client_credentials', audience: 'https://my-banking-api' },
      { authorization: `Basic ${basic}` },
    );
    expect(status).toBe(200);
  });

  it('answers Auth0 OAuth errors: bad secret 401, no grant 403, unknown API 403, public client 403', async () => {
    const client = await m2mClientWithGrant('https://my-banking-api', ['view:balance']);
    expect(
      await token({
        grant_type: 'client_credentials',
        client_id: client.client_id!,
        client_secret: 'wrong',
        audience: 'https://my-banking-api',
      }),
    ).toEqual({
      status: 401,
      body: { error: 'access_denied', error_description: 'Unauthorized' },
    });
    const noGrant = await lt.management.clients.create({
      name: 'no grant',
      app_type: 'non_interactive',
    });
    const denied = await token({
      grant_type: 'client_credentials',
      client_id: noGrant.client_id!,
      client_secret: noGrant.client_secret!,
      audience: 'https://my-banking-api',
    });
    expect(denied.status).toBe(403);
    expect(denied.body.error).toBe('access_denied');
    expect(denied.body.error_description).toContain(
      'Client is not authorized to access "https://my-banking-api"',
    );
    const unknown = await token({
      grant_type: 'client_credentials',
      client_id: client.client_id!,
      client_secret: client.client_secret!,
      audience: 'https://nope',
    });
    expect(unknown).toEqual({
      status: 403,
      body: { error: 'access_denied', error_description: 'Service not found: https://nope' },
    });
    const unsupported = await token({
      grant_type: 'urn:example:nope',
      client_id: client.client_id!,
    });
    expect(unsupported.status).toBe(403);
    expect(unsupported.body.error).toBe('unsupported_grant_type');
  });
});

describe('private_key_jwt (RFC 7523)', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();

  async function keyClient() {
    const client = await lt.management.clients.create({
      name: `pkjwt ${randomUUID()}`,
      app_type: 'non_interactive',
      client_authentication_methods: {
        private_key_jwt: { credentials: [{ credential_type: 'public_key', pem }] },
      },
    });
    await lt.management.clientGrants.create({
      client_id: client.client_id!,
      audience: `${lt.tenant.baseUrl}/api/v2/`,
      scope: ['read:clients'],
    });
    return client.client_id!;
  }

  function assertion(
    clientId: string,
    overrides: { aud?: string; expiresIn?: number; jti?: string; iss?: string } = {},
  ) {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ jti: overrides.jti ?? randomUUID() })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(overrides.iss ?? clientId)
      .setSubject(clientId)
      .setAudience(overrides.aud ?? `${lt.tenant.baseUrl}/`)
      .setIssuedAt(now)
      .setExpirationTime(now + (overrides.expiresIn ?? 60))
      .sign(privateKey);
  }

  const form = (clientAssertion: string) => ({
    grant_type: 'client_credentials',
    audience: `${lt.tenant.baseUrl}/api/v2/`,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: clientAssertion,
  });

  it('works with the auth0 SDK (clientAssertionSigningKey)', async () => {
    const clientId = await keyClient();
    const management = new ManagementClient({
      domain: lt.tenant.domain,
      clientId,
      clientAssertionSigningKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      maxRetries: 0,
    });
    const page = await management.clients.list();
    expect(page.data.length).toBeGreaterThan(0);
  });

  it('switches an existing secret client to private_key_jwt (credential + PATCH), after which its secret is refused', async () => {
    const client = await m2mClientWithGrant(`${lt.tenant.baseUrl}/api/v2/`, ['read:clients']);
    const secretForm = {
      grant_type: 'client_credentials',
      client_id: client.client_id!,
      client_secret: client.client_secret!,
      audience: `${lt.tenant.baseUrl}/api/v2/`,
    };
    expect((await token(secretForm)).status).toBe(200);
    const credential = await lt.management.clients.credentials.create(client.client_id!, {
      credential_type: 'public_key',
      pem,
    });
    const updated = await lt.management.clients.update(client.client_id!, {
      token_endpoint_auth_method: null,
      client_authentication_methods: { private_key_jwt: { credentials: [{ id: credential.id! }] } },
    });
    expect(updated.client_authentication_methods?.private_key_jwt?.credentials).toEqual([
      { id: credential.id },
    ]);
    expect((await token(secretForm)).status).toBe(401);
    expect((await token(form(await assertion(client.client_id!)))).status).toBe(200);
  });

  it('accepts the token endpoint URL as audience and refuses a replayed jti', async () => {
    const clientId = await keyClient();
    const once = await assertion(clientId, { aud: `${lt.tenant.baseUrl}/oauth/token` });
    expect((await token(form(once))).status).toBe(200);
    const replay = await token(form(once));
    expect(replay.status).toBe(401);
    expect(replay.body.error_description).toContain('jti');
  });

  it('refuses wrong audience, lifetimes over 5 minutes, iss≠sub and foreign keys', async () => {
    const clientId = await keyClient();
    expect(
      (await token(form(await assertion(clientId, { aud: 'https://elsewhere/' })))).status,
    ).toBe(401);
    const tooLong = await token(form(await assertion(clientId, { expiresIn: 600 })));
    expect(tooLong.status).toBe(401);
    expect(tooLong.body.error_description).toContain('5 minutes');
    expect((await token(form(await assertion(clientId, { iss: 'someone-else' })))).status).toBe(
      401,
    );
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const forged = await new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(`${lt.tenant.baseUrl}/`)
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(other);
    expect((await token(form(forged))).status).toBe(401);
  });
});

describe('Management API tokens', () => {
  it('403 insufficient_scope when the token lacks the endpoint scope', async () => {
    const readOnly = await lt.token('read:clients');
    expect(decodeJwt(readOnly).scope).toBe('read:clients');
    const response = await fetch(`${lt.tenant.baseUrl}/api/v2/resource-servers`, {
      headers: { authorization: `Bearer ${readOnly}` },
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'Insufficient scope, expected any of: read:resource_servers',
      errorCode: 'insufficient_scope',
    });
  });

  it('401 for missing, forged and expired tokens', async () => {
    const missing = await fetch(`${lt.tenant.baseUrl}/api/v2/clients`);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { message: string }).message).toBe('Missing authentication');

    const forgedKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const real = await lt.token();
    const forged = await new SignJWT(decodeJwt(real))
      .setProtectedHeader({ alg: 'RS256', kid: decodeProtectedHeader(real).kid! })
      .sign(forgedKey);
    const forgedResponse = await fetch(`${lt.tenant.baseUrl}/api/v2/clients`, {
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(forgedResponse.status).toBe(401);
    expect(await forgedResponse.json()).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'Invalid token',
      attributes: { error: 'Invalid token' },
    });
    expect(forgedResponse.headers.get('www-authenticate')).toContain('Bearer');

    const expired = await lt.tenant.context.keys.sign(
      { ...decodeJwt(real), exp: undefined, iat: undefined },
      { expiresIn: -60 },
    );
    const expiredResponse = await fetch(`${lt.tenant.baseUrl}/api/v2/clients`, {
      headers: { authorization: `Bearer ${expired}` },
    });
    expect(expiredResponse.status).toBe(401);
  });
});

describe('signing key rotation', () => {
  it('publishes the next key in JWKS before it signs, then signs with it while the old key stays published', async () => {
    const before = await lt.token();
    const oldKid = decodeProtectedHeader(before).kid;
    const nextKid = lt.tenant.context.keys.publishNextKey();
    const jwksDuring = (await (
      await fetch(`${lt.tenant.baseUrl}/.well-known/jwks.json`)
    ).json()) as { keys: { kid: string }[] };
    expect(jwksDuring.keys.map((key) => key.kid)).toEqual(
      expect.arrayContaining([oldKid, nextKid]),
    );
    expect(decodeProtectedHeader(await lt.token()).kid).toBe(oldKid);

    lt.tenant.context.keys.promoteNextKey();
    expect(decodeProtectedHeader(await lt.token()).kid).toBe(nextKid);
    // Tokens signed by the previous key still verify.
    const response = await fetch(`${lt.tenant.baseUrl}/api/v2/clients`, {
      headers: { authorization: `Bearer ${before}` },
    });
    expect(response.status).toBe(200);
  });
});
