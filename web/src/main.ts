// The banking page: the seeds' scenario as buttons. Logins are authorization code + PKCE through
// auth0-spa-js (redirects to the tenant's hosted login and MFA pages); API calls carry the access token.
// Step results survive the login redirects in sessionStorage; tokens stay in memory only.
import { Auth0Client } from '@auth0/auth0-spa-js';
import {
  LOGIN_SCOPE,
  MFA_ACR_VALUE,
  SCENARIO_STEPS,
  STEP_UP_ACR_VALUES,
  STEP_UP_SCOPE,
  callBankingApi,
  judgeLogin,
  type StepId,
  type StepResult,
} from '../../lib/banking-scenario.js';
import { webConfigSchema, type WebConfig } from '../config-schema.js';

type LoginStep = 'login' | 'step-up';
interface AppState {
  step: LoginStep | 'enroll-mfa';
}

const RESULTS_KEY = 'banking-demo-results';
const tokens: { login?: string; stepUp?: string } = {};

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`page is missing #${id}`);
  return found as T;
}

function loadResults(): StepResult[] {
  try {
    return JSON.parse(sessionStorage.getItem(RESULTS_KEY) ?? '[]') as StepResult[];
  } catch {
    return [];
  }
}

function record(result: StepResult): void {
  const results = loadResults().filter((existing) => existing.id !== result.id);
  results.push(result);
  const order = SCENARIO_STEPS.map((step) => step.id);
  results.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  sessionStorage.setItem(RESULTS_KEY, JSON.stringify(results));
  render();
}

function cell(className: string, text: string, detail?: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.className = className;
  td.textContent = text;
  if (detail) {
    const small = document.createElement('small');
    small.className = 'detail';
    small.textContent = detail;
    td.append(small);
  }
  return td;
}

function render(): void {
  const body = element<HTMLTableElement>('results').tBodies[0]!;
  body.replaceChildren(
    ...loadResults().map((result) => {
      const row = document.createElement('tr');
      row.dataset['step'] = result.id;
      row.dataset['outcome'] = result.passed ? 'pass' : 'fail';
      row.append(
        cell('step', result.title),
        cell('request', result.request),
        cell('status', String(result.status)),
        cell('claim', result.decidingClaim, result.detail),
        cell('expected', result.expectation),
      );
      return row;
    }),
  );
}

function showMessage(text: string): void {
  element('message').textContent = text;
  if (text) element('notice').textContent = '';
}

function scopeFor(step: LoginStep): string {
  return step === 'login' ? LOGIN_SCOPE : STEP_UP_SCOPE;
}

async function finishLogin(auth0: Auth0Client, config: WebConfig): Promise<void> {
  const { appState } = await auth0.handleRedirectCallback<AppState>();
  if (appState?.step === 'enroll-mfa') {
    // Onboarding, not a scenario step: the tenant asked for (and enrolled) a one-time-code factor.
    element('notice').textContent =
      'MFA is set up: the step-up will ask for a one-time code from your authenticator.';
    return;
  }
  const step: LoginStep = appState?.step === 'step-up' ? 'step-up' : 'login';
  const scope = scopeFor(step);
  // cache-only: the tokens from this code exchange are in the cache; never fall back to a silent iframe login.
  const accessToken = await auth0.getTokenSilently({
    cacheMode: 'cache-only',
    authorizationParams: { audience: config.audience, scope },
  });
  if (!accessToken) throw new Error('the code exchange left no access token in the cache');
  if (step === 'login') tokens.login = accessToken;
  else tokens.stepUp = accessToken;
  record(
    judgeLogin(
      step,
      `GET https://${config.domain}/authorize (code + PKCE, scope="${scope}") → POST /oauth/token`,
      accessToken,
    ),
  );
}

async function callApi(config: WebConfig, id: StepId, token: string | undefined): Promise<void> {
  if (!token) {
    showMessage(id === 'transfer' || id === 'replay' ? 'Step up first.' : 'Log in first.');
    return;
  }
  record(await callBankingApi(config.apiUrl, id, token));
}

function wire(id: string, handler: () => Promise<void>): void {
  const button = element<HTMLButtonElement>(id);
  button.addEventListener('click', () => {
    showMessage('');
    button.disabled = true;
    handler()
      .catch((error: unknown) =>
        showMessage(`${id}: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => {
        button.disabled = false;
      });
  });
}

async function main(): Promise<void> {
  render();
  const config = webConfigSchema.parse(await (await fetch('/config.json')).json());
  element('target').textContent =
    `tenant ${config.domain} · client ${config.clientId} · API ${config.apiUrl} (${config.audience})`;
  // `new Auth0Client`, not createAuth0Client: the latter starts with a silent iframe login (checkSession) that
  // this page never needs — tokens come from the redirects — and that would delay every return from the tenant.
  const auth0 = new Auth0Client({
    domain: config.domain,
    clientId: config.clientId,
    // The origin itself, without a trailing slash: callbacks match exactly (tenant/env/<env>.json lists the origin).
    authorizationParams: { audience: config.audience, redirect_uri: window.location.origin },
    cacheLocation: 'memory',
  });

  const query = new URLSearchParams(window.location.search);
  if (query.has('state') && (query.has('code') || query.has('error'))) {
    try {
      await finishLogin(auth0, config);
    } catch (error) {
      showMessage(`Login failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      window.history.replaceState({}, document.title, '/');
    }
  }

  // The step-up also sends acr_values=multi-factor: the Actions grant transfer:funds only then, because it makes
  // Auth0 ask for MFA even on a browser the user told to remember.
  const login = (step: LoginStep) => () =>
    auth0.loginWithRedirect<AppState>({
      authorizationParams: {
        scope: scopeFor(step),
        ...(step === 'step-up' ? { acr_values: STEP_UP_ACR_VALUES } : {}),
      },
      appState: { step },
    });
  wire('login', login('login'));
  wire('balance', () => callApi(config, 'balance', tokens.stepUp ?? tokens.login));
  wire('transfer-without-step-up', () => callApi(config, 'transfer-without-step-up', tokens.login));
  wire('step-up', login('step-up'));
  wire('transfer', () => callApi(config, 'transfer', tokens.stepUp));
  wire('replay', () => callApi(config, 'replay', tokens.stepUp));
  // The step-up Action challenges with an enrolled factor (as Auth0 does), so a new user enrolls once first:
  // acr_values=multi-factor makes the tenant's hosted pages ask for an enrollment.
  wire('enroll-mfa', () =>
    auth0.loginWithRedirect<AppState>({
      authorizationParams: { scope: 'openid', acr_values: MFA_ACR_VALUE },
      appState: { step: 'enroll-mfa' },
    }),
  );
  wire('reset', async () => {
    sessionStorage.removeItem(RESULTS_KEY);
    delete tokens.login;
    delete tokens.stepUp;
    render();
  });
  document.body.dataset['ready'] = 'true';
}

main().catch((error: unknown) =>
  showMessage(`Could not start: ${error instanceof Error ? error.message : String(error)}`),
);
