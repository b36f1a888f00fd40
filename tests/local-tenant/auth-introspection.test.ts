// POST /oauth/introspect (docs/asp.md): the banking API authenticates with an assertion signed by
// its own key and learns about JWT access tokens, refresh tokens and App Specific Passwords. Bad
// assertions are refused.
import { createServer, type Server } from 'node:http';
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, exportJWK } from 'jose';
import {
  BANKING_API,
  USER_PASSWORD,
  startAuthFixture,
  type AuthFixture,
} from '../helpers/auth-fixture.js';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
let fx: AuthFixture;
let tokens: Record<string, unknown>;
let jwksServer: Server;

beforeAll(async () => {
  fx = await startAuthFixture();
  const answer = await fx.token({
    grant_type: 'password',
    client_id: fx.trusted.clientId,
    client_secret: fx.trusted.clientSecret,
    username: fx.user.email,
    password: USER_PASSWORD,
    audience: BANKING_API,
    scope: 'openid view:balance offline_access',
  });
  tokens = answer.json;
});
afterAll(async () => {
  await fx?.close();
  await new Promise((resolve) => (jwksServer ? jwksServer.close(resolve) : resolve(undefined)));
});

async function assertion(
  key: KeyObject,
  overrides: { iss?: string; aud?: string; exp?: number; iat?: number; jti?: string } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const iss = overrides.iss ?? BANKING_API;
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(iss)
    .setSubject(iss)
    .setAudience(overrides.aud ?? fx.issuer)
    .setIssuedAt(overrides.iat ?? now)
    .setExpirationTime(overrides.exp ?? now + 60)
    .setJti(overrides.jti ?? randomUUID())
    .sign(key);
}

async function introspect(token: string, clientAssertion?: string) {
  return fx.post('/oauth/introspect', {
    token,
    client_assertion_type: ASSERTION_TYPE,
    ...(clientAssertion !== undefined ? { client_assertion: clientAssertion } : {}),
  });
}

describe('introspection of each token kind', () => {
  it('describes a JWT access token issued for the calling API', async () => {
    const answer = await introspect(
      String(tokens.access_token),
      await assertion(fx.resourceServerKey),
    );
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({
      active: true,
      token_type: 'access_token',
      scope: 'openid offline_access view:balance',
      sub: fx.user.id,
      client_id: fx.trusted.clientId,
      iss: fx.issuer,
      gty: 'password',
    });
  });

  it('describes a refresh token, and answers active:false for an unknown token', async () => {
    const answer = await introspect(
      String(tokens.refresh_token),
      await assertion(fx.resourceServerKey),
    );
    expect(answer.json).toMatchObject({
      active: true,
      token_type: 'refresh_token',
      sub: fx.user.id,
      aud: BANKING_API,
      scope: 'openid offline_access view:balance',
    });
    expect((await introspect('not-a-token', await assertion(fx.resourceServerKey))).json).toEqual({
      active: false,
    });
  });

  it('describes an App Specific Password as the draft does, updating its last access time', async () => {
    const created = await fx.mgmt(
      'POST',
      `/users/${encodeURIComponent(fx.user.id)}/application-passwords`,
      { label: 'statement exporter', audience: BANKING_API, scope: ['view:balance'] },
    );
    const value = String(created.json.value);
    const before = await fx.mgmt(
      'GET',
      `/users/${encodeURIComponent(fx.user.id)}/application-passwords`,
    );
    expect(
      (before.json as unknown as { last_accessed?: string }[])[0]?.last_accessed,
    ).toBeUndefined();
    const answer = await introspect(value, await assertion(fx.resourceServerKey));
    expect(answer.json).toEqual({
      active: true,
      token_type: 'application_specific_password_token',
      scope: 'view:balance',
      iat: Math.floor(Date.parse(String(created.json.created_at)) / 1000),
      sub: fx.user.id,
      aud: BANKING_API,
      iss: fx.issuer,
      username: fx.user.email,
    });
    const after = await fx.mgmt(
      'GET',
      `/users/${encodeURIComponent(fx.user.id)}/application-passwords`,
    );
    expect((after.json as unknown as { last_accessed?: string }[])[0]?.last_accessed).toMatch(
      /^\d{4}-/,
    );
    await fx.mgmt(
      'DELETE',
      `/users/${encodeURIComponent(fx.user.id)}/application-passwords/${String(created.json.id)}`,
    );
    expect((await introspect(value, await assertion(fx.resourceServerKey))).json).toEqual({
      active: false,
    });
  });

  it('reports tokens meant for another audience as inactive', async () => {
    const noAudience = await fx.token({
      grant_type: 'password',
      client_id: fx.trusted.clientId,
      client_secret: fx.trusted.clientSecret,
      username: fx.user.email,
      password: USER_PASSWORD,
      scope: 'openid',
      audience: `${fx.issuer}userinfo`,
    });
    expect(noAudience.status).toBe(200);
    expect(
      (
        await introspect(
          String(noAudience.json.access_token),
          await assertion(fx.resourceServerKey),
        )
      ).json,
    ).toEqual({ active: false });
  });
});

describe('introspection caller authentication', () => {
  it('refuses a missing assertion, a wrong key, an expired or overlong assertion, and a replayed jti', async () => {
    const token = String(tokens.access_token);
    expect(await introspect(token)).toMatchObject({
      status: 401,
      json: { error: 'invalid_client' },
    });
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(await introspect(token, await assertion(stranger))).toMatchObject({
      status: 401,
      json: { error: 'invalid_client' },
    });
    const now = Math.floor(Date.now() / 1000);
    expect(
      await introspect(
        token,
        await assertion(fx.resourceServerKey, { iat: now - 600, exp: now - 300 }),
      ),
    ).toMatchObject({ status: 401 });
    expect(
      await introspect(token, await assertion(fx.resourceServerKey, { exp: now + 3600 })),
    ).toMatchObject({
      status: 401,
      json: { error_description: expect.stringContaining('5 minutes') },
    });
    expect(
      await introspect(token, await assertion(fx.resourceServerKey, { aud: 'https://elsewhere/' })),
    ).toMatchObject({ status: 401 });
    expect(
      await introspect(
        token,
        await assertion(fx.resourceServerKey, { iss: 'https://unknown-api' }),
      ),
    ).toMatchObject({ status: 401 });
    const once = await assertion(fx.resourceServerKey, { jti: 'fixed-jti' });
    expect((await introspect(token, once)).status).toBe(200);
    expect(await introspect(token, once)).toMatchObject({
      status: 401,
      json: { error_description: expect.stringContaining('jti') },
    });
    expect(await introspect(token, 'not.a.jwt')).toMatchObject({ status: 401 });
  });

  it('fetches keys from a loopback verificationLocation, and refuses non-loopback locations', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = { ...(await exportJWK(publicKey)), alg: 'RS256', use: 'sig', kid: 'rs-key-1' };
    jwksServer = createServer((_request, response) =>
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ keys: [jwk] })),
    );
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const location = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`;
    await fx.mgmt('POST', '/resource-servers', {
      identifier: 'https://ledger-api',
      name: 'Ledger',
      scopes: [{ value: 'read:ledger' }],
      verificationLocation: location,
    });
    await fx.mgmt('POST', '/resource-servers', {
      identifier: 'https://remote-api',
      name: 'Remote',
      verificationLocation: 'https://keys.example.com/jwks.json',
    });
    const signed = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'rs-key-1' })
      .setIssuer('https://ledger-api')
      .setSubject('https://ledger-api')
      .setAudience(fx.issuer)
      .setIssuedAt()
      .setExpirationTime('1m')
      .setJti(randomUUID())
      .sign(privateKey);
    expect(await introspect(String(tokens.access_token), signed)).toMatchObject({
      status: 200,
      json: { active: false },
    });
    const remote = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer('https://remote-api')
      .setSubject('https://remote-api')
      .setAudience(fx.issuer)
      .setIssuedAt()
      .setExpirationTime('1m')
      .setJti(randomUUID())
      .sign(privateKey);
    expect(await introspect(String(tokens.access_token), remote)).toMatchObject({
      status: 401,
      json: { error_description: expect.stringContaining('not a loopback URL') },
    });
  });
});
