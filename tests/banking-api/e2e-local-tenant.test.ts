// End to end with the local tenant (real HTTPS): the project's step-up Actions deployed through the
// Management API, a user logging in through the hosted pages, and the banking API validating the
// tokens the tenant issues. The step-up workflow: balance OK → transfer 403 → step-up (OTP) →
// transfer OK → replay 401; plus an App Specific Password (bearer and Basic) through the tenant's
// real /oauth/introspect and password grant.
import { MFA_ACR_VALUE } from '../../lib/banking-api-contract.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleActions } from '../../actions/bundle.js';
import { bankingApiConfig, startBankingApi, type BankingApi } from '../../banking-api/index.js';
import { totpCode } from '../../local-tenant/authentication/totp.js';
import { pkcePair } from '../helpers/auth-browser-agent.js';
import {
  BANKING_API,
  SPA_CALLBACK,
  USER_PASSWORD,
  startAuthFixture,
  type AuthFixture,
} from '../helpers/auth-fixture.js';
import { call, validTransfer } from './helpers.js';

let fx: AuthFixture;
let api: BankingApi & { url: string };
let otpSecret = '';
let steppedUpTokens: Record<string, unknown> = {};
const outDir = mkdtempSync(join(tmpdir(), 'banking-api-e2e-'));

beforeAll(async () => {
  fx = await startAuthFixture();
  otpSecret = await fx.enrollOtp(fx.user.email);
  const bundles = new Map(
    (await bundleActions({ outDir })).map((bundle) => [bundle.name, bundle.code]),
  );
  const secrets = { BANKING_API_IDENTIFIER: BANKING_API, STEP_UP_CLIENT_IDS: fx.spaClientId };
  const challengeId = await fx.deployAction(
    'step-up-challenge',
    bundles.get('step-up-challenge')!,
    secrets,
  );
  const evidenceId = await fx.deployAction(
    'step-up-evidence',
    bundles.get('step-up-evidence')!,
    secrets,
  );
  await fx.bindPostLogin([challengeId, evidenceId]);
  api = await startBankingApi(
    bankingApiConfig({
      issuerBaseUrl: fx.issuer,
      audience: BANKING_API,
      port: 0,
      resourceServerPrivateKey: fx.resourceServerKey,
      passwordGrantClientId: fx.trusted.clientId,
      passwordGrantClientSecret: fx.trusted.clientSecret,
    }),
  );
});
afterAll(async () => {
  await api?.close();
  await fx?.close();
  rmSync(outDir, { recursive: true, force: true });
});

/** The SPA's authorization-code + PKCE login through the hosted pages; answers the token response. */
async function spaLogin(scope: string, otp?: () => string): Promise<Record<string, unknown>> {
  const agent = fx.browser();
  const { verifier, challenge } = pkcePair();
  const query = new URLSearchParams({
    client_id: fx.spaClientId,
    redirect_uri: SPA_CALLBACK,
    response_type: 'code',
    audience: BANKING_API,
    scope,
    state: 's',
    nonce: 'n',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  // The step-up login asks for the multi-factor policy: the Actions grant transfer:funds only then.
  if (otp) query.set('acr_values', MFA_ACR_VALUE);
  const { page } = await agent.navigate('GET', `${fx.origin}/authorize?${query}`);
  let step = await agent.submit(page!, { username: fx.user.email, password: USER_PASSWORD });
  if (otp) {
    expect(step.page?.url).toContain('/u/mfa-otp-challenge');
    step = await agent.submit(step.page!, { code: otp() });
  }
  const code = step.callback?.searchParams.get('code');
  if (!code) throw new Error(`login did not reach the callback (scope ${scope})`);
  const answer = await fx.token({
    grant_type: 'authorization_code',
    client_id: fx.spaClientId,
    code,
    code_verifier: verifier,
    redirect_uri: SPA_CALLBACK,
  });
  expect(answer.status).toBe(200);
  return answer.json;
}

describe('step-up against the local tenant (the step-up workflow)', () => {
  it('balance OK → transfer 403 → step-up → transfer OK → replay 401', async () => {
    const ordinary = String((await spaLogin('openid view:balance offline_access')).access_token);
    const balance = await call(api.url, '/balance', { token: ordinary });
    expect(balance.status).toBe(200);
    expect(balance.body).toMatchObject({
      caller: fx.user.id,
      callerType: 'user',
      accounts: [
        { id: 'checking', balance: 250_000 },
        { id: 'savings', balance: 1_000_000 },
      ],
    });

    const refused = await call(api.url, '/transfer', { token: ordinary, body: validTransfer });
    expect(refused.status).toBe(403);
    expect(refused.wwwAuthenticate).toContain('error="insufficient_scope"');
    expect(refused.body.scope).toBe('transfer:funds');

    steppedUpTokens = await spaLogin('openid view:balance transfer:funds offline_access', () =>
      totpCode(otpSecret, Date.now() + 30_000),
    );
    const steppedUp = String(steppedUpTokens.access_token);
    const transfer = await call(api.url, '/transfer', { token: steppedUp, body: validTransfer });
    expect(transfer.status).toBe(200);
    expect(transfer.body).toMatchObject({
      caller: fx.user.id,
      amount: validTransfer.amount,
      balances: [
        { id: 'checking', balance: 250_000 - validTransfer.amount },
        { id: 'savings', balance: 1_000_000 + validTransfer.amount },
      ],
    });

    const replay = await call(api.url, '/transfer', { token: steppedUp, body: validTransfer });
    expect(replay.status).toBe(401);
    expect(replay.body.error_description).toBe('transfer token already used');
    expect((await call(api.url, '/balance', { token: ordinary })).body.accounts).toEqual(
      transfer.body.balances,
    );
  });

  it('a refreshed token (no MFA on refresh) reads the balance but cannot transfer', async () => {
    // One OTP per time step (the tenant refuses reused steps), so this reuses the step-up login above.
    const tokens = steppedUpTokens;
    expect(tokens.refresh_token).toBeDefined();
    const refreshed = await fx.token({
      grant_type: 'refresh_token',
      client_id: fx.spaClientId,
      refresh_token: String(tokens.refresh_token),
    });
    const token = String(refreshed.json.access_token);
    expect((await call(api.url, '/balance', { token })).status).toBe(200);
    expect((await call(api.url, '/transfer', { token, body: validTransfer })).status).toBe(403);
    // The refresh token itself is not an access token, although the tenant's introspection knows it.
    expect((await call(api.url, '/balance', { token: String(tokens.refresh_token) })).status).toBe(
      401,
    );
  });

  it('accepts a password-grant token for the balance only (the Action strips transfer:funds there)', async () => {
    const answer = await fx.token({
      grant_type: 'password',
      client_id: fx.trusted.clientId,
      client_secret: fx.trusted.clientSecret,
      username: fx.user.email,
      password: USER_PASSWORD,
      audience: BANKING_API,
      scope: 'view:balance transfer:funds',
    });
    const token = String(answer.json.access_token);
    expect((await call(api.url, '/balance', { token })).status).toBe(200);
    expect((await call(api.url, '/transfer', { token, body: validTransfer })).status).toBe(403);
  });
});

describe('App Specific Passwords and Basic auth against the local tenant', () => {
  let aspValue = '';
  beforeAll(async () => {
    const created = await fx.mgmt(
      'POST',
      `/users/${encodeURIComponent(fx.user.id)}/application-passwords`,
      {
        label: 'e2e',
        audience: BANKING_API,
        scope: ['view:balance'],
      },
    );
    aspValue = String(created.json.value);
  });

  it('introspects an ASP used as a bearer token with the resource server key', async () => {
    const response = await call(api.url, '/balance', { token: aspValue });
    expect(response.status).toBe(200);
    expect(response.body.caller).toBe(fx.user.id);
  });

  it('Basic auth: the real password goes through the password grant', async () => {
    const authorization = `Basic ${Buffer.from(`${fx.user.email}:${USER_PASSWORD}`).toString('base64')}`;
    const response = await call(api.url, '/balance', { authorization });
    expect(response.status).toBe(200);
    expect(response.body.caller).toBe(fx.user.id);
  });

  it('Basic auth: email + ASP falls back to introspection; a wrong password is refused', async () => {
    const withAsp = await call(api.url, '/balance', {
      authorization: `Basic ${Buffer.from(`${fx.user.email}:${aspValue}`).toString('base64')}`,
    });
    expect(withAsp.status).toBe(200);
    expect(withAsp.body.caller).toBe(fx.user.id);
    const wrong = await call(api.url, '/balance', {
      authorization: `Basic ${Buffer.from(`${fx.user.email}:not-the-password`).toString('base64')}`,
    });
    expect(wrong.status).toBe(401);
    expect(wrong.wwwAuthenticate).toContain('Basic realm="banking-api"');
  });
});
