// /oauth/token user grants and their failures over real HTTPS: password → mfa_required → mfa-otp, OTP
// brute-force lockout, Actions deny/throw, forged/expired/replayed codes, PKCE mismatch, wrong redirect_uri,
// unknown clients. Every failure is an OAuth error with Auth0's status, never a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { totpCode } from '../../local-tenant/authentication/totp.js';
import { httpsCall, pkcePair } from '../helpers/auth-browser-agent.js';
import {
  BANKING_API,
  MFA_OTP_GRANT,
  SPA_CALLBACK,
  USER_PASSWORD,
  startAuthFixture,
  type AuthFixture,
} from '../helpers/auth-fixture.js';

let fx: AuthFixture;
let jwks: ReturnType<typeof createLocalJWKSet>;
let secret = '';
let enableMfaId = '';
let denyId = '';
let throwId = '';

beforeAll(async () => {
  fx = await startAuthFixture();
  jwks = createLocalJWKSet(
    JSON.parse(
      (await httpsCall(fx.ca, 'GET', `${fx.origin}/.well-known/jwks.json`)).body,
    ) as JSONWebKeySet,
  );
  secret = await fx.enrollOtp(fx.user.email);
  enableMfaId = await fx.deployAction(
    'mfa-for-trusted',
    `exports.onExecutePostLogin = async (event, api) => {
    if (event.client.client_id === event.secrets.TRUSTED) api.multifactor.enable('any');
    api.accessToken.setCustomClaim('https://example.com/protocol', event.transaction.protocol);
    api.user.setAppMetadata('last_protocol', event.transaction.protocol);
  };`,
    { TRUSTED: fx.trusted.clientId },
  );
  denyId = await fx.deployAction(
    'deny-blocked-audience',
    `exports.onExecutePostLogin = async (event, api) => {
    if (event.transaction.requested_scopes.includes('deny:me')) api.access.deny('Denied by policy');
  };`,
  );
  throwId = await fx.deployAction(
    'throws',
    `exports.onExecutePostLogin = async (event) => {
    if (event.transaction.requested_scopes.includes('throw:me')) throw new Error('Action exploded');
  };`,
  );
  await fx.bindPostLogin([enableMfaId, denyId, throwId]);
});
afterAll(async () => fx?.close());

const passwordGrant = (extra: Record<string, string> = {}) =>
  fx.token({
    grant_type: 'password',
    client_id: fx.trusted.clientId,
    client_secret: fx.trusted.clientSecret,
    username: fx.user.email,
    password: USER_PASSWORD,
    audience: BANKING_API,
    scope: 'openid view:balance offline_access',
    ...extra,
  });

describe('password grant with MFA', () => {
  it('answers 403 mfa_required with an mfa_token, then issues tokens for the right OTP', async () => {
    const first = await passwordGrant();
    expect(first.status).toBe(403);
    expect(first.json).toMatchObject({
      error: 'mfa_required',
      error_description: 'Multifactor authentication required',
    });
    expect(typeof first.json.mfa_token).toBe('string');
    const done = await fx.token({
      grant_type: MFA_OTP_GRANT,
      client_id: fx.trusted.clientId,
      client_secret: fx.trusted.clientSecret,
      mfa_token: String(first.json.mfa_token),
      otp: totpCode(secret, Date.now() + 30_000),
    });
    expect(done.status).toBe(200);
    const { payload } = await jwtVerify(String(done.json.access_token), jwks, {
      issuer: fx.issuer,
      audience: BANKING_API,
    });
    expect(payload).toMatchObject({
      gty: 'password',
      scope: 'openid offline_access view:balance',
      'https://example.com/protocol': 'oauth2-password',
    });
    const { payload: idToken } = await jwtVerify(String(done.json.id_token), jwks, {
      issuer: fx.issuer,
      audience: fx.trusted.clientId,
    });
    expect(idToken).not.toHaveProperty('amr'); // MFA-API tokens carry no amr
    expect(typeof done.json.refresh_token).toBe('string');
    const user = await fx.mgmt('GET', `/users/${encodeURIComponent(fx.user.id)}`);
    expect(user.json.app_metadata).toMatchObject({ last_protocol: 'oauth2-password' });
    const reused = await fx.token({
      grant_type: MFA_OTP_GRANT,
      client_id: fx.trusted.clientId,
      client_secret: fx.trusted.clientSecret,
      mfa_token: String(first.json.mfa_token),
      otp: totpCode(secret),
    });
    expect(reused.status).toBe(403);
    expect(reused.json.error).toBe('invalid_grant');
  });

  it('refuses wrong passwords, missing parameters and disallowed grant types with Auth0 errors', async () => {
    expect(await passwordGrant({ password: 'wrong' })).toMatchObject({
      status: 403,
      json: { error: 'invalid_grant', error_description: 'Wrong email or password.' },
    });
    expect(await passwordGrant({ username: '' })).toMatchObject({
      status: 400,
      json: { error: 'invalid_request' },
    });
    const spa = await fx.token({
      grant_type: 'password',
      client_id: fx.spaClientId,
      username: fx.user.email,
      password: USER_PASSWORD,
    });
    expect(spa).toMatchObject({
      status: 403,
      json: {
        error: 'unauthorized_client',
        error_description: "Grant type 'password' not allowed for the client.",
      },
    });
    expect(await passwordGrant({ client_secret: 'nope' })).toMatchObject({
      status: 401,
      json: { error: 'access_denied' },
    });
    expect(await passwordGrant({ audience: 'https://unknown-api' })).toMatchObject({
      status: 403,
      json: { error: 'access_denied', error_description: 'Service not found: https://unknown-api' },
    });
  });

  it('locks the OTP factor after repeated wrong codes, even for the right code', async () => {
    const mallory = await fx.createUser('mallory@example.com');
    const mallorySecret = await fx.enrollOtp('mallory@example.com');
    const mfa = await fx.token({
      grant_type: 'password',
      client_id: fx.trusted.clientId,
      client_secret: fx.trusted.clientSecret,
      username: 'mallory@example.com',
      password: USER_PASSWORD,
    });
    const mfaToken = String(mfa.json.mfa_token);
    const attempt = (otp: string) =>
      fx.token({
        grant_type: MFA_OTP_GRANT,
        client_id: fx.trusted.clientId,
        client_secret: fx.trusted.clientSecret,
        mfa_token: mfaToken,
        otp,
      });
    const right = totpCode(mallorySecret, Date.now() + 30_000);
    const wrong = right === '123456' ? '654321' : '123456';
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await attempt(wrong)).status);
    expect(statuses).toEqual([403, 403, 403, 403, 429]);
    expect(await attempt(right)).toMatchObject({
      status: 429,
      json: { error: 'too_many_attempts' },
    });
    expect(fx.tenant.authentication.otpGuard.isLocked(mallory)).toBe(true);
  });
});

describe('Actions failures', () => {
  it('turns api.access.deny and a throwing Action into access_denied (token endpoint and redirect)', async () => {
    expect(await passwordGrant({ scope: 'deny:me', client_id: fx.trusted.clientId })).toMatchObject(
      { status: 403, json: { error: 'access_denied', error_description: 'Denied by policy' } },
    );
    const agent = fx.browser();
    const query = new URLSearchParams({
      client_id: fx.spaClientId,
      redirect_uri: SPA_CALLBACK,
      response_type: 'code',
      scope: 'openid throw:me',
      state: 'z',
    });
    const { page } = await agent.navigate('GET', `${fx.origin}/authorize?${query}`);
    const done = await agent.submit(page!, { username: fx.user.email, password: USER_PASSWORD });
    expect(Object.fromEntries(done.callback!.searchParams)).toEqual({
      error: 'access_denied',
      error_description: 'Action exploded',
      state: 'z',
    });
  });
});

describe('a stuck Action', () => {
  it('fails the login after the time limit even when it blocks after an await, and the tenant keeps serving', async () => {
    const stuckId = await fx.deployAction(
      'stuck',
      `exports.onExecutePostLogin = async (event) => {
      if (event.transaction.requested_scopes.includes('hang:me')) { await null; while (true) {} }
    };`,
    );
    await fx.bindPostLogin([enableMfaId, denyId, throwId, stuckId]);
    const runtime = fx.tenant.authentication;
    const budget = runtime.actionTimeoutMs;
    runtime.actionTimeoutMs = 400;
    try {
      const stuck = await passwordGrant({ scope: 'hang:me' });
      expect(stuck).toMatchObject({
        status: 403,
        json: {
          error: 'access_denied',
          error_description: expect.stringContaining('execution time exceeded'),
        },
      });
      expect((await passwordGrant()).json.error).toBe('mfa_required');
    } finally {
      runtime.actionTimeoutMs = budget;
      await fx.bindPostLogin([enableMfaId, denyId, throwId]);
    }
  });
});

describe('authorization code failures', () => {
  async function codeFor(clientId = fx.spaClientId, scope = 'openid offline_access') {
    const agent = fx.browser();
    const { verifier, challenge } = pkcePair();
    const query = new URLSearchParams({
      client_id: clientId,
      redirect_uri: SPA_CALLBACK,
      response_type: 'code',
      scope,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const { page } = await agent.navigate('GET', `${fx.origin}/authorize?${query}`);
    const done = await agent.submit(page!, { username: fx.user.email, password: USER_PASSWORD });
    return { code: done.callback!.searchParams.get('code')!, verifier };
  }
  const exchange = (code: string, verifier: string, extra: Record<string, string> = {}) =>
    fx.token({
      grant_type: 'authorization_code',
      client_id: fx.spaClientId,
      code,
      code_verifier: verifier,
      redirect_uri: SPA_CALLBACK,
      ...extra,
    });

  it('refuses forged codes, PKCE mismatches and wrong redirect_uri with invalid_grant', async () => {
    expect(await exchange('forged-code', 'x'.repeat(43))).toMatchObject({
      status: 403,
      json: { error: 'invalid_grant', error_description: 'Invalid authorization code' },
    });
    // Auth0 checks the code before the client (recorded: a bad code answers 403 even without credentials);
    // a real code still needs its own client.
    const unknownClient = { grant_type: 'authorization_code', client_id: 'no-such-client' };
    expect(await fx.token({ ...unknownClient, code: 'forged-code' })).toMatchObject({
      status: 403,
      json: { error: 'invalid_grant', error_description: 'Invalid authorization code' },
    });
    const stolen = await codeFor();
    expect(
      await fx.token({ ...unknownClient, code: stolen.code, code_verifier: stolen.verifier }),
    ).toMatchObject({ status: 401, json: { error: 'access_denied' } });
    const pkce = await codeFor();
    expect(await exchange(pkce.code, pkcePair().verifier)).toMatchObject({
      status: 403,
      json: { error: 'invalid_grant', error_description: 'Failed to verify code verifier' },
    });
    const redirect = await codeFor();
    expect(
      await exchange(redirect.code, redirect.verifier, {
        redirect_uri: 'https://127.0.0.1:4443/other',
      }),
    ).toMatchObject({ status: 403, json: { error: 'invalid_grant' } });
  });

  it('treats a replayed code as invalid and revokes the refresh token the first exchange issued', async () => {
    const { code, verifier } = await codeFor();
    const first = await exchange(code, verifier);
    expect(first.status).toBe(200);
    expect(await exchange(code, verifier)).toMatchObject({
      status: 403,
      json: { error: 'invalid_grant' },
    });
    const refresh = await fx.token({
      grant_type: 'refresh_token',
      client_id: fx.spaClientId,
      refresh_token: String(first.json.refresh_token),
    });
    expect(refresh).toMatchObject({
      status: 403,
      json: { error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' },
    });
  });

  it('refuses expired codes', async () => {
    const { code, verifier } = await codeFor();
    fx.tenant.authentication.records.codes.peek(code)!.expiresAt = Date.now() - 1;
    expect(await exchange(code, verifier)).toMatchObject({
      status: 403,
      json: { error: 'invalid_grant', error_description: 'Invalid authorization code' },
    });
  });

  it('refuses unknown clients and codes presented by another client', async () => {
    const { code, verifier } = await codeFor();
    expect(
      await fx.token({
        grant_type: 'authorization_code',
        client_id: 'no-such-client',
        code,
        code_verifier: verifier,
      }),
    ).toMatchObject({ status: 401, json: { error: 'access_denied' } });
    expect(
      await fx.token({
        grant_type: 'authorization_code',
        client_id: fx.trusted.clientId,
        client_secret: fx.trusted.clientSecret,
        code,
        code_verifier: verifier,
      }),
    ).toMatchObject({ status: 403, json: { error: 'invalid_grant' } });
  });
});

describe('/authorize bad input', () => {
  it('shows an error page (no redirect) for unknown clients and callback mismatches', async () => {
    const unknown = await fx
      .browser()
      .navigate(
        'GET',
        `${fx.origin}/authorize?client_id=nope&redirect_uri=${encodeURIComponent(SPA_CALLBACK)}&response_type=code`,
      );
    expect(unknown.page?.status).toBe(400);
    expect(unknown.page?.body).toContain('Unknown client: nope');
    const mismatch = await fx
      .browser()
      .navigate(
        'GET',
        `${fx.origin}/authorize?client_id=${fx.spaClientId}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}&response_type=code`,
      );
    expect(mismatch.page?.status).toBe(400);
    expect(mismatch.page?.body).toContain('Callback URL mismatch');
  });

  it('redirects OAuth errors for bad response types, PKCE methods and unknown audiences', async () => {
    const base = { client_id: fx.spaClientId, redirect_uri: SPA_CALLBACK, state: 'q' };
    const errorOf = async (params: Record<string, string>) =>
      (
        await fx
          .browser()
          .navigate('GET', `${fx.origin}/authorize?${new URLSearchParams({ ...base, ...params })}`)
      ).callback!.searchParams.get('error');
    expect(await errorOf({ response_type: 'device' })).toBe('unsupported_response_type');
    expect(
      await errorOf({
        response_type: 'code',
        code_challenge: 'abc',
        code_challenge_method: 'plain',
      }),
    ).toBe('invalid_request');
    expect(await errorOf({ response_type: 'code', audience: 'https://nope' })).toBe(
      'access_denied',
    );
  });

  it('answers a wrong password on the login page with the page again, and an unknown transaction with an error page', async () => {
    const agent = fx.browser();
    const { page } = await agent.navigate(
      'GET',
      `${fx.origin}/authorize?${new URLSearchParams({ client_id: fx.spaClientId, redirect_uri: SPA_CALLBACK, response_type: 'code' })}`,
    );
    const wrong = await agent.submit(page!, { username: fx.user.email, password: 'nope' });
    expect(wrong.page?.status).toBe(400);
    expect(wrong.page?.body).toContain('Wrong email or password.');
    const stale = await agent.navigate('POST', `${fx.origin}/u/login?state=unknown`, {
      username: 'a',
      password: 'b',
    });
    expect(stale.page?.status).toBe(400);
  });
});

describe('garbage never produces a 500', () => {
  it('answers malformed requests to every Authentication API route with a 4xx', async () => {
    const json = { 'content-type': 'application/json' };
    const attempts: [string, string, Record<string, string>?, string?][] = [
      ['GET', '/authorize?client_id[]=a&client_id[]=b&redirect_uri=x'],
      ['GET', '/u/login'],
      ['POST', '/u/login', json, '{"state": 5}'],
      ['POST', '/u/login', json, '[1,2'],
      ['GET', '/u/mfa-otp-challenge?state=nope'],
      ['POST', '/u/mfa-otp-challenge', json, '{"state": "nope", "code": 123456}'],
      [
        'POST',
        '/u/mfa-otp-enrollment',
        { 'content-type': 'application/x-www-form-urlencoded' },
        'state=&code=',
      ],
      [
        'POST',
        '/oauth/token',
        json,
        JSON.stringify({
          grant_type: 'authorization_code',
          client_id: fx.spaClientId,
          code: { nested: true },
        }),
      ],
      [
        'POST',
        '/oauth/token',
        json,
        JSON.stringify({ grant_type: 'refresh_token', client_id: fx.spaClientId }),
      ],
      [
        'POST',
        '/oauth/token',
        json,
        JSON.stringify({
          grant_type: MFA_OTP_GRANT,
          client_id: fx.trusted.clientId,
          client_secret: fx.trusted.clientSecret,
          mfa_token: 'x',
          otp: 'y',
        }),
      ],
      ['POST', '/oauth/introspect', { 'content-type': 'text/plain' }, 'token=x'],
      [
        'POST',
        '/oauth/introspect',
        json,
        JSON.stringify({
          token: 'x',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: 'a.b.c',
        }),
      ],
      ['POST', '/oauth/revoke', json, JSON.stringify({ client_id: fx.spaClientId })],
      ['GET', '/userinfo'],
      ['POST', '/userinfo', { authorization: 'Bearer not-a-jwt' }],
      ['GET', `/v2/logout?returnTo=${encodeURIComponent('javascript:alert(1)')}`],
    ];
    for (const [method, path, headers, body] of attempts) {
      const answer = await httpsCall(fx.ca, method, `${fx.origin}${path}`, {
        ...(headers ? { headers } : {}),
        ...(body !== undefined ? { body } : {}),
      });
      expect(
        answer.status,
        `${method} ${path} → ${answer.status} ${answer.body.slice(0, 200)}`,
      ).toBeGreaterThanOrEqual(400);
      expect(answer.status, `${method} ${path} → ${answer.body.slice(0, 200)}`).toBeLessThan(500);
    }
  });
});
