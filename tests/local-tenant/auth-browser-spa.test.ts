// The real client proof: @auth0/auth0-spa-js in headless Chromium logs in against the local tenant, passes
// the step-up MFA challenge with a computed TOTP code and gets tokens that jose validates against the JWKS.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { bundleActions } from '../../actions/bundle.js';
import { totpCode } from '../../local-tenant/authentication/totp.js';
import { httpsCall } from '../helpers/auth-browser-agent.js';
import {
  BANKING_API,
  USER_PASSWORD,
  startAuthFixture,
  type AuthFixture,
} from '../helpers/auth-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const chromiumMissing = !existsSync(CHROMIUM);
if (chromiumMissing) {
  if (process.env.CI === 'true')
    throw new Error(
      `${CHROMIUM} is missing: the browser proof cannot be skipped in CI (install Debian's chromium)`,
    );
  process.stderr.write(
    `\n!!! SKIPPING auth-browser-spa: ${CHROMIUM} is missing (apt-get install chromium) !!!\n\n`,
  );
}

const spaJs = readFileSync(
  new URL(
    '../../node_modules/@auth0/auth0-spa-js/dist/auth0-spa-js.production.js',
    import.meta.url,
  ),
  'utf8',
);

// The SPA: log in with redirect, and after the callback publish the tokens for the test to read.
function spaPage(config: { domain: string; clientId: string; redirectUri: string }): string {
  return `<!doctype html><html><head><meta charset="utf-8"><script src="/auth0-spa-js.js"></script></head><body><pre id="out">loading</pre>
<script>
(async () => {
  const client = await auth0.createAuth0Client({ domain: ${JSON.stringify(config.domain)}, clientId: ${JSON.stringify(config.clientId)},
    cacheLocation: 'memory', authorizationParams: { redirect_uri: ${JSON.stringify(config.redirectUri)}, audience: ${JSON.stringify(BANKING_API)} } });
  const params = new URLSearchParams(location.search);
  try {
    if (params.has('code') || params.has('error')) {
      await client.handleRedirectCallback();
      const tokens = await client.getTokenSilently({ detailedResponse: true });
      window.__result = { tokens, user: await client.getUser() };
    } else {
      await client.loginWithRedirect({ authorizationParams: { scope: 'openid profile email view:balance transfer:funds', acr_values: 'http://schemas.openid.net/pape/policies/2007/06/multi-factor' } });
    }
  } catch (error) {
    window.__result = { error: String(error && (error.error_description || error.message || error)) };
  }
  document.getElementById('out').textContent = 'done';
})();
</script></body></html>`;
}

let fx: AuthFixture;
let spaServer: Server;
let browser: Browser | undefined;
let spaOrigin = '';
let spaClientId = '';
let secret = '';
const outDir = mkdtempSync(join(tmpdir(), 'lt-auth-spa-'));

beforeAll(async () => {
  if (chromiumMissing) return;
  fx = await startAuthFixture();
  let config = { domain: fx.tenant.domain, clientId: '', redirectUri: '' };
  spaServer = createServer((request, response) => {
    if (request.url?.startsWith('/auth0-spa-js.js'))
      return response.writeHead(200, { 'content-type': 'text/javascript' }).end(spaJs);
    return response.writeHead(200, { 'content-type': 'text/html' }).end(spaPage(config));
  });
  await new Promise<void>((resolve) => spaServer.listen(0, '127.0.0.1', resolve));
  // http://127.0.0.1 is a secure context in Chromium, so auth0-spa-js's WebCrypto works without a certificate.
  spaOrigin = `http://127.0.0.1:${(spaServer.address() as AddressInfo).port}`;
  const spa = await fx.mgmt('POST', '/clients', {
    name: 'Banking SPA (browser)',
    app_type: 'spa',
    callbacks: [`${spaOrigin}/`],
    web_origins: [spaOrigin],
    allowed_logout_urls: [`${spaOrigin}/`],
    grant_types: ['authorization_code', 'refresh_token'],
  });
  spaClientId = String(spa.json.client_id);
  config = { ...config, clientId: spaClientId, redirectUri: `${spaOrigin}/` };
  const connections = (await fx.mgmt('GET', '/connections?strategy=auth0')).json as unknown as {
    id: string;
  }[];
  await fx.mgmt('PATCH', `/connections/${connections[0]!.id}/clients`, [
    { client_id: spaClientId, status: true },
  ]);
  secret = await fx.enrollOtp(fx.user.email);
  const bundles = new Map(
    (await bundleActions({ outDir })).map((bundle) => [bundle.name, bundle.code]),
  );
  const secrets = { BANKING_API_IDENTIFIER: BANKING_API, STEP_UP_CLIENT_IDS: spaClientId };
  await fx.bindPostLogin([
    await fx.deployAction('step-up-challenge', bundles.get('step-up-challenge')!, secrets),
    await fx.deployAction('step-up-evidence', bundles.get('step-up-evidence')!, secrets),
  ]);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (spaServer ? spaServer.close(resolve) : resolve(undefined)));
  await fx?.close();
  rmSync(outDir, { recursive: true, force: true });
});

describe.skipIf(chromiumMissing)('auth0-spa-js in headless Chromium', () => {
  it('logs in, passes the step-up OTP challenge and receives tokens with transfer:funds and the amr evidence', async () => {
    // The tenant's certificate comes from the test CA, which Chromium does not know.
    const context = await browser!.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    await page.goto(`${spaOrigin}/`);
    await page.waitForURL((url) => url.pathname === '/u/login');
    await page.fill('#username', fx.user.email);
    await page.fill('#password', USER_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL((url) => url.pathname === '/u/mfa-otp-challenge');
    await page.fill('#code', totpCode(secret, Date.now() + 30_000));
    await page.click('button[type=submit]');
    await page.waitForURL((url) => url.origin === spaOrigin);
    await page.waitForFunction(
      () => (window as unknown as { __result?: unknown }).__result !== undefined,
      undefined,
      { timeout: 15_000 },
    );
    const result = await page.evaluate(
      () => (window as unknown as { __result: Record<string, unknown> }).__result,
    );
    await context.close();
    expect(result.error).toBeUndefined();
    const tokens = result.tokens as { access_token: string; id_token: string; scope: string };
    const jwks = createLocalJWKSet(
      JSON.parse(
        (await httpsCall(fx.ca, 'GET', `${fx.origin}/.well-known/jwks.json`)).body,
      ) as JSONWebKeySet,
    );
    const { payload: access } = await jwtVerify(tokens.access_token, jwks, {
      issuer: fx.issuer,
      audience: BANKING_API,
    });
    expect(access.scope).toBe('openid profile email view:balance transfer:funds');
    expect(access[`${BANKING_API}/amr`]).toEqual(['pwd', 'mfa']);
    const { payload: idToken } = await jwtVerify(tokens.id_token, jwks, {
      issuer: fx.issuer,
      audience: spaClientId,
    });
    expect(idToken).toMatchObject({ sub: fx.user.id, email: fx.user.email, amr: ['mfa'] });
    expect((result.user as { email?: string }).email).toBe(fx.user.email);
  });
});
