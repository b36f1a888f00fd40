// The project's step-up Actions, bundled and deployed through the Management API (create → built → deploy →
// bindings), run by the local tenant during real logins: MFA only when a listed client asks for
// transfer:funds, the <api>/amr evidence claim, and no transfer:funds for unlisted clients or refreshes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { bundleActions } from '../../actions/bundle.js';
import { totpCode } from '../../local-tenant/authentication/totp.js';
import { httpsCall, pkcePair } from '../helpers/auth-browser-agent.js';
import {
  BANKING_API,
  SPA_CALLBACK,
  USER_PASSWORD,
  startAuthFixture,
  type AuthFixture,
} from '../helpers/auth-fixture.js';

let fx: AuthFixture;
let jwks: ReturnType<typeof createLocalJWKSet>;
let secret = '';
const outDir = mkdtempSync(join(tmpdir(), 'lt-auth-step-up-'));

beforeAll(async () => {
  fx = await startAuthFixture();
  jwks = createLocalJWKSet(
    JSON.parse(
      (await httpsCall(fx.ca, 'GET', `${fx.origin}/.well-known/jwks.json`)).body,
    ) as JSONWebKeySet,
  );
  secret = await fx.enrollOtp(fx.user.email);
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
});
afterAll(async () => {
  await fx?.close();
  rmSync(outDir, { recursive: true, force: true });
});

async function browserLogin(clientId: string, scope: string, acrValues?: string) {
  const agent = fx.browser();
  const { verifier, challenge } = pkcePair();
  const query = new URLSearchParams({
    client_id: clientId,
    redirect_uri: SPA_CALLBACK,
    response_type: 'code',
    audience: BANKING_API,
    scope,
    state: 's',
    nonce: 'n',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  if (acrValues) query.set('acr_values', acrValues);
  const { page } = await agent.navigate('GET', `${fx.origin}/authorize?${query}`);
  const afterPassword = await agent.submit(page!, {
    username: fx.user.email,
    password: USER_PASSWORD,
  });
  return { agent, verifier, afterPassword };
}

async function exchange(
  clientId: string,
  code: string,
  verifier: string,
  extra: Record<string, string> = {},
) {
  const answer = await fx.token({
    grant_type: 'authorization_code',
    client_id: clientId,
    code,
    code_verifier: verifier,
    redirect_uri: SPA_CALLBACK,
    ...extra,
  });
  expect(answer.status).toBe(200);
  return answer.json;
}

async function accessClaims(token: unknown): Promise<JWTPayload> {
  return (await jwtVerify(String(token), jwks, { issuer: fx.issuer, audience: BANKING_API }))
    .payload;
}

describe('step-up Actions deployed through the Management API', () => {
  it('lets a listed client read the balance without MFA', async () => {
    const { verifier, afterPassword } = await browserLogin(fx.spaClientId, 'openid view:balance');
    expect(afterPassword.callback).toBeDefined();
    const tokens = await exchange(
      fx.spaClientId,
      afterPassword.callback!.searchParams.get('code')!,
      verifier,
    );
    const claims = await accessClaims(tokens.access_token);
    expect(claims.scope).toBe('openid view:balance');
    expect(claims).not.toHaveProperty(`${BANKING_API}/amr`);
  });

  it('challenges a listed client asking for transfer:funds and records the MFA in the amr claim', async () => {
    const { agent, verifier, afterPassword } = await browserLogin(
      fx.spaClientId,
      'openid view:balance transfer:funds offline_access',
      // The Actions grant transfer:funds only with the multi-factor policy in acr_values.
      'http://schemas.openid.net/pape/policies/2007/06/multi-factor',
    );
    expect(afterPassword.page?.url).toContain('/u/mfa-otp-challenge');
    const done = await agent.submit(afterPassword.page!, {
      code: totpCode(secret, Date.now() + 30_000),
    });
    const tokens = await exchange(
      fx.spaClientId,
      done.callback!.searchParams.get('code')!,
      verifier,
    );
    const claims = await accessClaims(tokens.access_token);
    expect(claims.scope).toBe('openid offline_access view:balance transfer:funds');
    expect(claims[`${BANKING_API}/amr`]).toEqual(['pwd', 'mfa']);
    expect(claims).not.toHaveProperty('amr');

    // The refresh-token exchange runs the Actions again (protocol oauth2-refresh-token): no transfer:funds.
    const refreshed = await fx.token({
      grant_type: 'refresh_token',
      client_id: fx.spaClientId,
      refresh_token: String(tokens.refresh_token),
    });
    expect(refreshed.status).toBe(200);
    const refreshedClaims = await accessClaims(refreshed.json.access_token);
    expect(refreshedClaims.scope).toBe('openid offline_access view:balance');
    expect(refreshedClaims).not.toHaveProperty(`${BANKING_API}/amr`);
  });

  it('never gives transfer:funds to a client that is not listed, and does not challenge it', async () => {
    const { verifier, afterPassword } = await browserLogin(
      fx.trusted.clientId,
      'openid view:balance transfer:funds',
    );
    expect(afterPassword.callback).toBeDefined();
    const tokens = await exchange(
      fx.trusted.clientId,
      afterPassword.callback!.searchParams.get('code')!,
      verifier,
      { client_secret: fx.trusted.clientSecret },
    );
    expect((await accessClaims(tokens.access_token)).scope).toBe('openid view:balance');
  });

  it('strips transfer:funds from password-grant tokens (no MFA prompt possible there)', async () => {
    const answer = await fx.token({
      grant_type: 'password',
      client_id: fx.trusted.clientId,
      client_secret: fx.trusted.clientSecret,
      username: fx.user.email,
      password: USER_PASSWORD,
      audience: BANKING_API,
      scope: 'view:balance transfer:funds',
    });
    expect(answer.status).toBe(200);
    const claims = await accessClaims(answer.json.access_token);
    expect(claims).toMatchObject({ scope: 'view:balance', gty: 'password', aud: BANKING_API });
  });
});
