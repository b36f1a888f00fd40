// Authorization code + PKCE through the hosted pages over real HTTPS: discovery, JWKS, login, MFA enrollment
// and challenge with computed TOTP codes, tokens validated with jose, SSO and prompt=none, refresh, userinfo.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { totpCode } from '../../local-tenant/authentication/totp.js';
import { httpsCall, pkcePair, textOf, type BrowserAgent } from '../helpers/auth-browser-agent.js';
import {
  BANKING_API,
  SPA_CALLBACK,
  USER_PASSWORD,
  startAuthFixture,
  type AuthFixture,
} from '../helpers/auth-fixture.js';

const MFA_ACR = 'http://schemas.openid.net/pape/policies/2007/06/multi-factor';
let fx: AuthFixture;
let jwks: ReturnType<typeof createLocalJWKSet>;

beforeAll(async () => {
  fx = await startAuthFixture();
  const keys = JSON.parse(
    (await httpsCall(fx.ca, 'GET', `${fx.origin}/.well-known/jwks.json`)).body,
  ) as JSONWebKeySet;
  jwks = createLocalJWKSet(keys);
});
afterAll(async () => fx?.close());

function authorizeUrl(params: Record<string, string>): string {
  return `${fx.origin}/authorize?${new URLSearchParams({ client_id: fx.spaClientId, redirect_uri: SPA_CALLBACK, response_type: 'code', ...params })}`;
}

async function loginWithPassword(agent: BrowserAgent, url: string) {
  const { page } = await agent.navigate('GET', url);
  expect(page?.status).toBe(200);
  expect(page?.body).toContain('name="password"');
  return agent.submit(page!, { username: fx.user.email, password: USER_PASSWORD });
}

async function exchange(code: string, verifier: string) {
  return fx.token({
    grant_type: 'authorization_code',
    client_id: fx.spaClientId,
    code,
    code_verifier: verifier,
    redirect_uri: SPA_CALLBACK,
  });
}

let enrolledSecret = '';

describe('discovery and JWKS', () => {
  it('publishes an OIDC configuration whose endpoints and keys work with jose', async () => {
    const config = JSON.parse(
      (await httpsCall(fx.ca, 'GET', `${fx.origin}/.well-known/openid-configuration`)).body,
    ) as Record<string, unknown>;
    expect(config.issuer).toBe(fx.issuer);
    expect(config.authorization_endpoint).toBe(`${fx.origin}/authorize`);
    expect(config.introspection_endpoint).toBe(`${fx.origin}/oauth/introspect`);
    expect(config.grant_types_supported).toEqual(
      expect.arrayContaining([
        'authorization_code',
        'refresh_token',
        'password',
        'http://auth0.com/oauth/grant-type/mfa-otp',
      ]),
    );
    const keys = JSON.parse(
      (await httpsCall(fx.ca, 'GET', String(config.jwks_uri))).body,
    ) as JSONWebKeySet;
    expect(keys.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(keys.keys[0]!.kid).toBeTruthy();
  });

  it('advertises only endpoints it serves (each answers GET or POST with something other than 404 or 5xx)', async () => {
    const config = JSON.parse(
      (await httpsCall(fx.ca, 'GET', `${fx.origin}/.well-known/openid-configuration`)).body,
    ) as Record<string, unknown>;
    const endpoints = Object.entries(config).filter(
      ([key]) => key.endsWith('_endpoint') || key === 'jwks_uri',
    );
    expect(endpoints.length).toBeGreaterThanOrEqual(6);
    for (const [key, url] of endpoints) {
      let answer = await httpsCall(fx.ca, 'GET', String(url));
      if (answer.status === 404) {
        answer = await httpsCall(fx.ca, 'POST', String(url), {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: '',
        });
      }
      expect([key, answer.status !== 404 && answer.status < 500]).toEqual([key, true]);
    }
  });
});

describe('authorization code + PKCE with MFA', () => {
  it('enrolls OTP when acr_values demands MFA, and the ID token then carries amr/acr', async () => {
    const agent = fx.browser();
    const { verifier, challenge } = pkcePair();
    const afterLogin = await loginWithPassword(
      agent,
      authorizeUrl({
        scope: 'openid profile email',
        state: 'st-1',
        nonce: 'n-1',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        acr_values: MFA_ACR,
      }),
    );
    expect(afterLogin.page?.url).toContain('/u/mfa-otp-enrollment');
    enrolledSecret = textOf(afterLogin.page!.body, 'otp-secret')!;
    expect(enrolledSecret).toMatch(/^[A-Z2-7]{32}$/);
    const wrong = await agent.submit(afterLogin.page!, {
      code: totpCode(enrolledSecret) === '000000' ? '111111' : '000000',
    });
    expect(wrong.page?.status).toBe(400);
    expect(wrong.page?.body).toContain('invalid');
    const done = await agent.submit(wrong.page!, { code: totpCode(enrolledSecret) });
    expect(done.callback?.origin + done.callback!.pathname).toBe(SPA_CALLBACK);
    expect(done.callback!.searchParams.get('state')).toBe('st-1');
    const tokens = await exchange(done.callback!.searchParams.get('code')!, verifier);
    expect(tokens.status).toBe(200);
    const { payload: idToken } = await jwtVerify(String(tokens.json.id_token), jwks, {
      issuer: fx.issuer,
      audience: fx.spaClientId,
    });
    expect(idToken).toMatchObject({
      sub: fx.user.id,
      nonce: 'n-1',
      amr: ['mfa'],
      acr: MFA_ACR,
      email: fx.user.email,
    });
    const enrollments = await fx.mgmt(
      'GET',
      `/users/${encodeURIComponent(fx.user.id)}/enrollments`,
    );
    expect(JSON.stringify(enrollments.json)).toContain('confirmed');
  });

  it('issues Auth0-shaped tokens for the banking API without MFA when nothing asks for it', async () => {
    const agent = fx.browser();
    const { verifier, challenge } = pkcePair();
    const done = await loginWithPassword(
      agent,
      authorizeUrl({
        scope: 'openid view:balance offline_access undefined:scope',
        audience: BANKING_API,
        state: 's2',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }),
    );
    expect(done.callback).toBeDefined();
    const tokens = await exchange(done.callback!.searchParams.get('code')!, verifier);
    expect(tokens.status).toBe(200);
    expect(tokens.json).toMatchObject({
      token_type: 'Bearer',
      expires_in: 600,
      scope: 'openid offline_access view:balance',
    });
    expect(typeof tokens.json.refresh_token).toBe('string');
    const { payload, protectedHeader } = await jwtVerify(String(tokens.json.access_token), jwks, {
      issuer: fx.issuer,
      audience: BANKING_API,
    });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(payload).toMatchObject({
      sub: fx.user.id,
      azp: fx.spaClientId,
      aud: [BANKING_API, `${fx.issuer}userinfo`],
      scope: 'openid offline_access view:balance',
    });
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(payload).not.toHaveProperty('gty');
    expect(payload).not.toHaveProperty('jti');
    const { payload: idToken } = await jwtVerify(String(tokens.json.id_token), jwks, {
      issuer: fx.issuer,
      audience: fx.spaClientId,
    });
    expect(idToken).not.toHaveProperty('amr');

    const userinfo = await httpsCall(fx.ca, 'GET', `${fx.origin}/userinfo`, {
      headers: { authorization: `Bearer ${String(tokens.json.access_token)}` },
    });
    expect(JSON.parse(userinfo.body)).toEqual({ sub: fx.user.id });

    const refreshed = await fx.token({
      grant_type: 'refresh_token',
      client_id: fx.spaClientId,
      refresh_token: String(tokens.json.refresh_token),
    });
    expect(refreshed.status).toBe(200);
    const { payload: refreshedAccess } = await jwtVerify(
      String(refreshed.json.access_token),
      jwks,
      { issuer: fx.issuer, audience: BANKING_API },
    );
    expect(refreshedAccess).toMatchObject({
      gty: 'refresh_token',
      scope: 'openid offline_access view:balance',
    });
    expect(refreshed.json).not.toHaveProperty('refresh_token');

    const narrowed = await fx.token({
      grant_type: 'refresh_token',
      client_id: fx.spaClientId,
      refresh_token: String(tokens.json.refresh_token),
      scope: 'openid',
    });
    expect(narrowed.json.scope).toBe('openid');
    const widened = await fx.token({
      grant_type: 'refresh_token',
      client_id: fx.spaClientId,
      refresh_token: String(tokens.json.refresh_token),
      scope: 'openid transfer:funds',
    });
    expect(widened.status).toBe(403);
    expect(widened.json.error).toBe('invalid_scope');

    expect(
      (
        await fx.post('/oauth/revoke', {
          client_id: fx.spaClientId,
          token: String(tokens.json.refresh_token),
        })
      ).status,
    ).toBe(200);
    const revoked = await fx.token({
      grant_type: 'refresh_token',
      client_id: fx.spaClientId,
      refresh_token: String(tokens.json.refresh_token),
    });
    expect(revoked).toMatchObject({ status: 403, json: { error: 'invalid_grant' } });
  });

  it('keeps an SSO session: prompt=none succeeds with the cookie, and fails login_required without it', async () => {
    const agent = fx.browser();
    const { challenge } = pkcePair();
    const first = await loginWithPassword(
      agent,
      authorizeUrl({
        scope: 'openid',
        state: 'a',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }),
    );
    expect(first.callback?.searchParams.get('code')).toBeTruthy();
    const silent = await agent.navigate(
      'GET',
      authorizeUrl({
        scope: 'openid',
        state: 'b',
        prompt: 'none',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }),
    );
    expect(silent.callback?.searchParams.get('code')).toBeTruthy();
    const stranger = await fx
      .browser()
      .navigate('GET', authorizeUrl({ scope: 'openid', state: 'c', prompt: 'none' }));
    expect(Object.fromEntries(stranger.callback!.searchParams)).toEqual({
      error: 'login_required',
      error_description: 'Login required',
      state: 'c',
    });

    // auth0-spa-js's silent authentication: response_mode=web_message posts the answer to the app's origin.
    const iframe = await agent.navigate(
      'GET',
      authorizeUrl({
        scope: 'openid',
        state: 'w',
        prompt: 'none',
        response_mode: 'web_message',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }),
    );
    const posted = /postMessage\((.*), "(.*)"\);/.exec(iframe.page!.body)!;
    expect(JSON.parse(posted[1]!)).toMatchObject({
      type: 'authorization_response',
      response: { state: 'w', code: expect.any(String) },
    });
    expect(posted[2]).toBe(new URL(SPA_CALLBACK).origin);

    // Logout ends the session; an unlisted returnTo is refused.
    expect(
      (
        await agent.navigate(
          'GET',
          `${fx.origin}/v2/logout?client_id=${fx.spaClientId}&returnTo=${encodeURIComponent('https://evil.example/')}`,
        )
      ).page?.status,
    ).toBe(400);
    expect((await agent.navigate('GET', `${fx.origin}/v2/logout`)).page?.body).toBe('OK');
    const afterLogout = await agent.navigate(
      'GET',
      authorizeUrl({ scope: 'openid', state: 'd', prompt: 'none' }),
    );
    expect(afterLogout.callback!.searchParams.get('error')).toBe('login_required');
  });

  it('returns id_token and token in the fragment for response_type=id_token token, requiring a nonce', async () => {
    const agent = fx.browser();
    const missingNonce = await agent.navigate(
      'GET',
      authorizeUrl({
        response_type: 'id_token token',
        scope: 'openid',
        audience: BANKING_API,
        state: 'x',
      }),
    );
    expect(new URLSearchParams(missingNonce.callback!.hash.slice(1)).get('error')).toBe(
      'invalid_request',
    );
    const done = await loginWithPassword(
      agent,
      authorizeUrl({
        response_type: 'id_token token',
        scope: 'openid view:balance',
        audience: BANKING_API,
        state: 'y',
        nonce: 'n-imp',
      }),
    );
    const fragment = new URLSearchParams(done.callback!.hash.slice(1));
    expect(fragment.get('state')).toBe('y');
    expect(fragment.get('token_type')).toBe('Bearer');
    const { payload: idToken } = await jwtVerify(fragment.get('id_token')!, jwks, {
      issuer: fx.issuer,
      audience: fx.spaClientId,
    });
    expect(idToken.nonce).toBe('n-imp');
    expect(typeof idToken.at_hash).toBe('string');
    const { payload: access } = await jwtVerify(fragment.get('access_token')!, jwks, {
      issuer: fx.issuer,
      audience: BANKING_API,
    });
    expect(access.scope).toBe('openid view:balance');
  });

  it('challenges an enrolled user on later MFA logins with the code from the enrolled secret', async () => {
    expect(enrolledSecret).not.toBe('');
    const agent = fx.browser();
    const { verifier, challenge } = pkcePair();
    const afterLogin = await loginWithPassword(
      agent,
      authorizeUrl({
        scope: 'openid',
        acr_values: MFA_ACR,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        nonce: 'n',
      }),
    );
    expect(afterLogin.page?.url).toContain('/u/mfa-otp-challenge');
    // The next window's code: the current one may be the step already used at enrollment (replays are refused).
    const next = await agent.submit(afterLogin.page!, {
      code: totpCode(enrolledSecret, Date.now() + 30_000),
    });
    const tokens = await exchange(next.callback!.searchParams.get('code')!, verifier);
    const { payload } = await jwtVerify(String(tokens.json.id_token), jwks, {
      issuer: fx.issuer,
      audience: fx.spaClientId,
    });
    expect(payload.amr).toEqual(['mfa']);
  });
});

describe('restart', () => {
  it('keeps refresh tokens (stored as hashes) across a restart of a persisted tenant', async () => {
    const persisted = await startAuthFixture({ persist: true });
    try {
      const login = await persisted.token({
        grant_type: 'password',
        client_id: persisted.trusted.clientId,
        client_secret: persisted.trusted.clientSecret,
        username: persisted.user.email,
        password: USER_PASSWORD,
        audience: BANKING_API,
        scope: 'openid view:balance offline_access',
      });
      const refreshToken = String(login.json.refresh_token);
      await persisted.restart();
      const state = JSON.stringify(persisted.tenant.store.snapshot);
      expect(state).not.toContain(refreshToken);
      const refreshed = await persisted.token({
        grant_type: 'refresh_token',
        client_id: persisted.trusted.clientId,
        client_secret: persisted.trusted.clientSecret,
        refresh_token: refreshToken,
      });
      expect(refreshed).toMatchObject({
        status: 200,
        json: { scope: 'openid offline_access view:balance' },
      });
    } finally {
      await persisted.close();
    }
  });
});
