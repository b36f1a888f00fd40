// openid-client 6 (a strict, certified OpenID Connect relying party) against the local tenant over real HTTPS,
// as a second real client beside auth0-spa-js: discovery, code + PKCE with ID-token validation, userinfo,
// prompt=none, refresh-token rotation and reuse detection, revocation, and client credentials. Trust in the
// tenant's CA comes from NODE_EXTRA_CA_CERTS (tests/setup/local-tenant-ca.ts); the login page is submitted by
// the HTTP "browser" of tests/helpers/auth-browser-agent.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { createLocalJWKSet, jwtVerify } from 'jose';
import {
  BANKING_API,
  SPA_CALLBACK,
  USER_PASSWORD,
  startAuthFixture,
  type AuthFixture,
} from '../helpers/auth-fixture.js';
import type { BrowserAgent } from '../helpers/auth-browser-agent.js';

let fx: AuthFixture;
let spa: oidc.Configuration;

beforeAll(async () => {
  fx = await startAuthFixture();
  // The banking SPA of tenant/tenant.yaml: rotating, expiring refresh tokens.
  await fx.mgmt('PATCH', `/clients/${fx.spaClientId}`, {
    refresh_token: {
      rotation_type: 'rotating',
      expiration_type: 'expiring',
      token_lifetime: 86_400,
      idle_token_lifetime: 3_600,
      leeway: 0,
    },
  });
  spa = await oidc.discovery(new URL(fx.issuer), fx.spaClientId, undefined, oidc.None());
});

afterAll(async () => {
  await fx?.close();
});

/** Logs the demo user in through the hosted page and exchanges the code with openid-client. */
async function login(agent: BrowserAgent, extra: Record<string, string> = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const nonce = oidc.randomNonce();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(spa, {
    redirect_uri: SPA_CALLBACK,
    scope: 'openid profile email offline_access view:balance',
    audience: BANKING_API,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    nonce,
    state,
    ...extra,
  });
  const first = await agent.navigate('GET', url.toString());
  const callback =
    first.callback ??
    (await agent.submit(first.page!, { username: fx.user.email, password: USER_PASSWORD }))
      .callback;
  expect(callback?.searchParams.get('code'), String(callback)).toBeTruthy();
  return oidc.authorizationCodeGrant(spa, callback!, {
    pkceCodeVerifier: verifier,
    expectedNonce: nonce,
    expectedState: state,
    idTokenExpected: true,
  });
}

async function refreshFails(refreshToken: string): Promise<unknown> {
  const failure = await oidc.refreshTokenGrant(spa, refreshToken).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(oidc.ResponseBodyError);
  return failure;
}

describe('openid-client as relying party', () => {
  it('discovers the tenant: issuer with trailing slash and the endpoints it serves', () => {
    const metadata = spa.serverMetadata();
    expect(metadata.issuer).toBe(fx.issuer);
    expect(metadata.token_endpoint).toBe(`${fx.origin}/oauth/token`);
    expect(metadata.revocation_endpoint).toBe(`${fx.origin}/oauth/revoke`);
    expect(metadata.grant_types_supported).toContain('refresh_token');
  });

  it('logs in with code + PKCE: the ID token validates, userinfo answers for the same subject, prompt=none reuses the session', async () => {
    const agent = fx.browser();
    const tokens = await login(agent);
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ iss: fx.issuer, aud: fx.spaClientId, sub: fx.user.id });
    expect(tokens.scope).toBe('openid profile email offline_access view:balance');
    const userinfo = await oidc.fetchUserInfo(spa, tokens.access_token, claims.sub);
    expect(userinfo).toMatchObject({ sub: fx.user.id, email: fx.user.email, email_verified: true });

    const silent = await login(agent, { prompt: 'none' });
    expect(silent.claims()!.sub).toBe(fx.user.id);
  });

  it('rotates the refresh token on every exchange and detects reuse: the whole family is revoked', async () => {
    const first = await login(fx.browser());
    const rt1 = first.refresh_token!;
    const second = await oidc.refreshTokenGrant(spa, rt1);
    const rt2 = second.refresh_token!;
    expect(rt2).toBeTruthy();
    expect(rt2).not.toBe(rt1);
    expect(second.claims()!.sub).toBe(fx.user.id);
    const third = await oidc.refreshTokenGrant(spa, rt2);
    const rt3 = third.refresh_token!;
    expect(rt3).not.toBe(rt2);

    // rt1 was spent two exchanges ago: reuse. Auth0 refuses it and revokes rt3, the family's live token.
    expect(await refreshFails(rt1)).toMatchObject({
      error: 'invalid_grant',
      error_description: 'Unknown or invalid refresh token.',
      status: 403,
    });
    expect(await refreshFails(rt3)).toMatchObject({ error: 'invalid_grant' });

    // Another login is a new family, untouched by that breach.
    const other = await login(fx.browser());
    expect((await oidc.refreshTokenGrant(spa, other.refresh_token!)).refresh_token).toBeTruthy();
  });

  it('revokes a refresh token (and so its family) through the revocation endpoint', async () => {
    const tokens = await login(fx.browser());
    const rotated = await oidc.refreshTokenGrant(spa, tokens.refresh_token!);
    await oidc.tokenRevocation(spa, rotated.refresh_token!);
    expect(await refreshFails(rotated.refresh_token!)).toMatchObject({ error: 'invalid_grant' });
    // Unknown tokens are accepted silently (RFC 7009).
    await expect(oidc.tokenRevocation(spa, 'not-a-token')).resolves.toBeUndefined();
  });

  it('gets a client-credentials token for a machine-to-machine client', async () => {
    const m2m = await fx.mgmt('POST', '/clients', {
      name: 'openid-client M2M',
      app_type: 'non_interactive',
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['client_credentials'],
    });
    await fx.mgmt('POST', '/client-grants', {
      client_id: m2m.json.client_id,
      audience: BANKING_API,
      scope: ['view:balance'],
    });
    const machine = await oidc.discovery(
      new URL(fx.issuer),
      String(m2m.json.client_id),
      undefined,
      oidc.ClientSecretBasic(String(m2m.json.client_secret)),
    );
    const tokens = await oidc.clientCredentialsGrant(machine, { audience: BANKING_API });
    expect(tokens.token_type).toBe('bearer');
    const { payload } = await jwtVerify(
      tokens.access_token,
      createLocalJWKSet(fx.tenant.context.keys.jwks()),
      { issuer: fx.issuer, audience: BANKING_API },
    );
    expect(payload).toMatchObject({
      sub: `${String(m2m.json.client_id)}@clients`,
      gty: 'client-credentials',
      scope: 'view:balance',
    });
  });
});
