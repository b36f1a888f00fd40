// The banking page in headless Debian Chromium (playwright-core, never a downloaded browser): auth0-spa-js logs in
// with code + PKCE through the local tenant's hosted login and MFA pages. The app view shows balances and makes a
// transfer that steps up (MFA) and is retried with its Idempotency-Key; the walkthrough view's six buttons behave
// as described. A screenshot of every step is kept in test-artifacts/screenshots/ (docs/screenshots/ has copies).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRequest } from '../../lib/https-request.js';
import { freshTotpCodes } from '../../scripts/demo/run-demo.js';
import { startDemoStack, type DemoStack } from '../../scripts/demo/stack.js';
import { BANKING_AUDIENCE } from '../../lib/banking-scenario.js';
import { testCaDir } from '../helpers/local-tenant.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const repoRoot = join(import.meta.dirname, '..', '..');
const screenshotDir = join(repoRoot, 'test-artifacts', 'screenshots');

const chromiumAvailable = existsSync(CHROMIUM);
if (!chromiumAvailable) {
  const message = `tests/e2e/browser.test.ts: ${CHROMIUM} is missing (apt-get install chromium) — the browser test cannot run`;
  if (process.env.CI === 'true')
    throw new Error(`${message}; with CI=true a skipped browser test is a failure`);
  console.warn(`\n!!! SKIPPED: ${message}\n`);
}

/** `npm run web` as a user runs it (tsx scripts/web.ts), pointed at the test's tenant and API through AUTH0_* and friends. */
async function startWebScript(stack: DemoStack, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/web.ts', '--env', 'local'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      // Set (even empty) so a developer's .env cannot override them; NODE_EXTRA_CA_CERTS (the test CA) is inherited.
      AUTH0_DOMAIN: stack.target.domain,
      AUTH0_CLIENT_ID: stack.target.clientId,
      AUTH0_CLIENT_SECRET: stack.target.clientSecret ?? '',
      AUTH0_CLIENT_SIGNING_KEY_PATH: '',
      WEB_PORT: String(port),
      BANKING_API_URL: stack.apiUrl,
      AUDIENCE: BANKING_AUDIENCE,
      SPA_CLIENT_NAME: '',
      SPA_CLIENT_ID: '',
    },
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`npm run web did not start within 60 s:\n${output}`)),
      60_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(`Banking page: http://127.0.0.1:${port}`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm run web exited with ${code}:\n${output}`));
    });
  });
  return child;
}

/** A free loopback port for the page, known before the API starts (its CORS origin) and before the tenant's callbacks. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** Lets the SPA client log in from the test's origin (tenant/env/local.json lists :3000, which a test cannot own). */
async function allowOrigin(stack: DemoStack, origin: string): Promise<void> {
  const tls = { caCertPem: stack.tenant.caCertPem };
  const token = await sendRequest(`${stack.tenant.baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_id: stack.target.clientId,
      client_secret: stack.target.clientSecret,
      audience: `${stack.tenant.baseUrl}/api/v2/`,
    }),
    ...tls,
  });
  const { access_token: accessToken } = JSON.parse(token.text) as { access_token: string };
  const patch = await sendRequest(`${stack.tenant.baseUrl}/api/v2/clients/${stack.spaClientId}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      callbacks: [origin],
      web_origins: [origin],
      allowed_origins: [origin],
      allowed_logout_urls: [origin],
    }),
    ...tls,
  });
  if (patch.status !== 200) throw new Error(`PATCH SPA client: ${patch.status} ${patch.text}`);
}

describe.skipIf(!chromiumAvailable)('banking page in headless Chromium', () => {
  let stack: DemoStack | undefined;
  let web: ChildProcess | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let origin: string;
  let totpSecret = '';
  const userDataDirs: string[] = [];
  const totpCode = freshTotpCodes();
  let shot = 0;
  const APP_TRANSFER_CENTS = 1_234;
  let appBalances = { checking: 0, savings: 0 };

  /** The app's balances table, in integer cents per account. */
  async function balancesShown(): Promise<{ checking: number; savings: number }> {
    const rows = page.locator('#balances tr[data-account]');
    const balances = { checking: NaN, savings: NaN };
    for (let index = 0; index < (await rows.count()); index += 1) {
      const row = rows.nth(index);
      balances[(await row.getAttribute('data-account')) as keyof typeof balances] = Number(
        await row.locator('td.amount').getAttribute('data-cents'),
      );
    }
    return balances;
  }

  async function screenshot(name: string): Promise<void> {
    shot += 1;
    await page.screenshot({
      path: join(screenshotDir, `${String(shot).padStart(2, '0')}-${name}.png`),
      fullPage: true,
    });
  }

  async function clickAndWaitForRow(
    button: string,
    step: string,
  ): Promise<{ outcome: string; status: string; claim: string }> {
    const row = page.locator(`tr[data-step="${step}"]`);
    const before = (await row.count()) > 0 ? await row.innerText() : '';
    await page.click(`#${button}`);
    await page.waitForFunction(
      ([selector, previous]) => {
        const element = document.querySelector(selector!);
        return element !== null && (element as HTMLElement).innerText !== previous;
      },
      [`tr[data-step="${step}"]`, before] as const,
    );
    return {
      outcome: (await row.getAttribute('data-outcome')) ?? '',
      status: await row.locator('td.status').innerText(),
      claim: await row.locator('td.claim').innerText(),
    };
  }

  /** The step's row once it is rendered; the page's error message instead if it shows one first. */
  async function rowAfterRedirect(step: string) {
    const row = page.locator(`tr[data-step="${step}"]`);
    await page.waitForFunction(
      (selector) =>
        document.querySelector(selector) !== null ||
        (document.getElementById('message')?.textContent ?? '') !== '',
      `tr[data-step="${step}"]`,
    );
    const message = await page.locator('#message').innerText();
    if (message) {
      await screenshot(`${step}-error`);
      throw new Error(`the page reports: ${message}`);
    }
    return row;
  }

  beforeAll(async () => {
    rmSync(screenshotDir, { recursive: true, force: true });
    mkdirSync(screenshotDir, { recursive: true });
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    stack = await startDemoStack({
      repoRoot,
      caDir: testCaDir(),
      corsOrigins: [origin],
      progress: () => undefined,
    });
    await allowOrigin(stack, origin);
    web = await startWebScript(stack, port);
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    if (web && web.exitCode === null) {
      const exited = new Promise((resolve) => web!.once('exit', resolve));
      web.kill('SIGTERM');
      await exited;
    }
    await stack?.close();
    for (const dir of userDataDirs) rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh browser profile (no cookies: no tenant session) with the page open at the app. */
  async function openBrowser(): Promise<void> {
    await context?.close();
    const userDataDir = mkdtempSync(join(tmpdir(), 'banking-chromium-'));
    userDataDirs.push(userDataDir);
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      // The local tenant's CA is not in Chromium's store; the page's own origin is plain http on loopback.
      ignoreHTTPSErrors: true,
      viewport: { width: 1280, height: 800 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(20_000);
    // A blocked or failed request (CSP, TLS, CORS) is the usual cause when a step times out: say so.
    page.on('requestfailed', (request) =>
      console.warn(
        `[chromium] ${request.method()} ${request.url()}: ${request.failure()?.errorText}`,
      ),
    );
    await page.goto(origin);
    await page.waitForSelector('body[data-ready="true"]');
  }

  async function submitLoginPage(): Promise<void> {
    await page.waitForURL((url) => url.pathname === '/u/login');
    await page.fill('#username', stack!.user.email);
    await page.fill('#password', stack!.user.password);
    await page.click('button[type="submit"]');
  }

  it('onboarding: the user sets up MFA once, on the hosted enrollment page', async () => {
    await openBrowser();
    await page.click('#enroll-mfa');
    await submitLoginPage();
    await page.waitForURL((url) => url.pathname === '/u/mfa-otp-enrollment');
    totpSecret = await page.locator('#otp-secret').innerText();
    expect(totpSecret).toMatch(/^[A-Z2-7]{16,}$/);
    await page.fill('#code', await totpCode(totpSecret));
    await screenshot('mfa-enrollment-page');
    await page.click('button[type="submit"]');
    await page.waitForURL((url) => url.origin === origin);
    await page.waitForFunction(
      () =>
        (document.getElementById('notice')?.textContent ?? '') !== '' ||
        (document.getElementById('message')?.textContent ?? '') !== '',
    );
    expect(await page.locator('#message').innerText()).toBe('');
    expect(await page.locator('#notice').innerText()).toContain('MFA is set up');
    await screenshot('mfa-set-up');
  });

  it('app: logs in and shows the balances and (no) recent transfers', async () => {
    await openBrowser(); // a new profile: no tenant session, the app view is the default
    expect(await page.locator('#app-view').isVisible()).toBe(true);
    await screenshot('app-signed-out');
    await page.click('#app-login');
    await submitLoginPage();
    await page.waitForURL((url) => url.origin === origin);
    await page.waitForSelector('#balances tr[data-account="checking"]');
    expect(await page.locator('#message').innerText()).toBe('');
    appBalances = await balancesShown();
    expect(appBalances.checking).toBeGreaterThan(APP_TRANSFER_CENTS);
    expect(await page.locator('#balances').innerText()).toMatch(/Checking\s+€[\d,]+\.\d\d/);
    await screenshot('app-balances');
  });

  it('app: a transfer asks for step-up (403 insufficient_scope), runs MFA, and is retried with its Idempotency-Key', async () => {
    await page.selectOption('#transfer-from', 'checking');
    await page.fill('#transfer-to', 'savings');
    await page.fill('#transfer-amount', '12.34');
    await page.fill('#transfer-reference', 'Rent share');
    await screenshot('app-transfer-form');
    const transferAttempts: Array<{ status: number; idempotencyKey: string | null }> = [];
    page.on('response', (response) => {
      const request = response.request();
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/transfer')
        transferAttempts.push({
          status: response.status(),
          idempotencyKey: request.headers()['idempotency-key'] ?? null,
        });
    });
    await page.click('#transfer-submit');
    // The login token lacks transfer:funds: the app goes to the tenant asking for it; the tenant asks for MFA.
    await page.waitForURL((url) => url.pathname.startsWith('/u/'));
    if (new URL(page.url()).pathname === '/u/login') await submitLoginPage();
    await page.waitForURL((url) => url.pathname === '/u/mfa-otp-challenge');
    await page.fill('#code', await totpCode(totpSecret));
    await screenshot('app-step-up-mfa');
    await page.click('button[type="submit"]');
    await page.waitForURL((url) => url.origin === origin);
    await page.waitForFunction(
      () =>
        (document.getElementById('notice')?.textContent ?? '').startsWith('Transferred') ||
        (document.getElementById('message')?.textContent ?? '') !== '',
    );
    expect(await page.locator('#message').innerText()).toBe('');
    expect(await page.locator('#notice').innerText()).toContain(
      'Transferred €12.34 from checking to savings',
    );
    await page.waitForSelector('#recent-transfers tbody tr');

    // First attempt 403 before the redirect, the retry 200 after it — with one and the same key.
    expect(transferAttempts.map((attempt) => attempt.status)).toEqual([403, 200]);
    const [first, retry] = transferAttempts;
    expect(first!.idempotencyKey).toMatch(/^"[0-9a-f-]{36}"$/);
    expect(retry!.idempotencyKey).toBe(first!.idempotencyKey);

    const after = await balancesShown();
    expect(after.checking).toBe(appBalances.checking - APP_TRANSFER_CENTS);
    expect(after.savings).toBe(appBalances.savings + APP_TRANSFER_CENTS);
    const rows = page.locator('#recent-transfers tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().innerText()).toMatch(
      /checking → savings[\s\S]*Rent share[\s\S]*€12\.34/,
    );
    await screenshot('app-transfer-done');
  });

  it('loads the page from npm run web, with the tenant, the SPA client found by name and the API (a new browser: no tenant session)', async () => {
    await openBrowser();
    await page.click('#view-walkthrough');
    await page.waitForSelector('#walkthrough-view:not([hidden])');
    const target = await page.locator('#target').innerText();
    expect(target).toContain(stack!.tenant.domain);
    expect(target).toContain(stack!.spaClientId);
    expect(target).toContain(stack!.apiUrl);
    await screenshot('start');
  });

  it('1. logs in through the hosted login page (code + PKCE) and gets view:balance only', async () => {
    await page.click('#login');
    await page.waitForURL((url) => url.pathname === '/u/login');
    await page.fill('#username', stack!.user.email);
    await page.fill('#password', stack!.user.password);
    await screenshot('hosted-login-page');
    await page.click('button[type="submit"]');
    await page.waitForURL((url) => url.origin === origin);
    const row = await rowAfterRedirect('login');
    expect(await row.getAttribute('data-outcome')).toBe('pass');
    expect(await row.locator('td.claim').innerText()).toContain(
      'scope="openid profile email view:balance"',
    );
    expect(new URL(page.url()).search).toBe(''); // code and state removed from the address bar
    await screenshot('logged-in');
  });

  it('2. reads the balance (200)', async () => {
    const row = await clickAndWaitForRow('balance', 'balance');
    expect(row).toMatchObject({ outcome: 'pass', status: '200' });
    await screenshot('balance');
  });

  it('3. is refused a transfer with the login token (403 insufficient_scope)', async () => {
    const row = await clickAndWaitForRow('transfer-without-step-up', 'transfer-without-step-up');
    expect(row).toMatchObject({ outcome: 'pass', status: '403' });
    expect(row.claim).toContain('error="insufficient_scope" scope="transfer:funds"');
    await screenshot('transfer-refused');
  });

  it('4. steps up: asks for transfer:funds, passes the MFA page with a one-time code', async () => {
    await page.click('#step-up');
    await page.waitForURL((url) => url.pathname.startsWith('/u/'));
    // The tenant session from step 1 means no password page this time, only the MFA page (as with Auth0's SSO).
    if (new URL(page.url()).pathname === '/u/login') await submitLoginPage();
    await page.waitForURL((url) => url.pathname === '/u/mfa-otp-challenge');
    await page.fill('#code', await totpCode(totpSecret));
    await screenshot('mfa-page');
    await page.click('button[type="submit"]');
    await page.waitForURL((url) => url.origin === origin);
    const row = await rowAfterRedirect('step-up');
    expect(await row.getAttribute('data-outcome')).toBe('pass');
    const claim = await row.locator('td.claim').innerText();
    expect(claim).toContain('transfer:funds');
    expect(claim).toMatch(/https:\/\/my-banking-api\/amr=\[[^\]]*"mfa"/);
    await screenshot('stepped-up');
  });

  it('5. transfers with the step-up token (200)', async () => {
    const row = await clickAndWaitForRow('transfer', 'transfer');
    expect(row).toMatchObject({ outcome: 'pass', status: '200' });
    await screenshot('transfer-done');
  });

  it('6. is refused when replaying the same token (401 invalid_token)', async () => {
    const row = await clickAndWaitForRow('replay', 'replay');
    expect(row).toMatchObject({ outcome: 'pass', status: '401' });
    expect(row.claim).toContain('error="invalid_token"');
    expect(await page.locator('tr[data-outcome="pass"]').count()).toBe(6);
    expect(await page.locator('#message').innerText()).toBe('');
    await screenshot('replay-refused');
  });
});
