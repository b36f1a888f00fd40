// The banking page: a small banking app (first view) and the step-up walkthrough (second view). Logins are
// authorization code + PKCE through auth0-spa-js (redirects to the tenant's hosted login and MFA pages); API
// calls carry the access token. Tokens stay in memory only; what must survive a redirect (the view, the
// walkthrough's results, a transfer waiting for its step-up) is in sessionStorage.
import { Auth0Client } from '@auth0/auth0-spa-js';
import {
  LOGIN_SCOPE,
  MFA_ACR_VALUE,
  STEP_UP_ACR_VALUES,
  STEP_UP_SCOPE,
} from '../../lib/banking-scenario.js';
import { webConfigSchema, type WebConfig } from '../config-schema.js';
import { BankApp } from './bank-app.js';
import { element, showMessage, showNotice, wire } from './dom.js';
import { renderWalkthrough, walkthroughActions, walkthroughLoggedIn } from './walkthrough.js';

/** Where a login redirect came from, so the return lands in the right place. */
type LoginPurpose = 'login' | 'step-up' | 'app-login' | 'app-step-up' | 'enroll-mfa';
interface AppState {
  step: LoginPurpose;
}
type View = 'app' | 'walkthrough';
const VIEW_KEY = 'banking-view';

function showView(view: View): void {
  sessionStorage.setItem(VIEW_KEY, view);
  element('app-view').hidden = view !== 'app';
  element('walkthrough-view').hidden = view !== 'walkthrough';
  element('view-app').setAttribute('aria-pressed', String(view === 'app'));
  element('view-walkthrough').setAttribute('aria-pressed', String(view === 'walkthrough'));
}

function isStepUp(purpose: LoginPurpose): boolean {
  return purpose === 'step-up' || purpose === 'app-step-up';
}

async function finishLogin(auth0: Auth0Client, config: WebConfig, app: BankApp): Promise<void> {
  const { appState } = await auth0.handleRedirectCallback<AppState>();
  const purpose = appState?.step ?? 'login';
  if (purpose === 'enroll-mfa') {
    // Onboarding: the tenant asked for (and enrolled) a one-time-code factor.
    showNotice('MFA is set up: the step-up will ask for a one-time code from your authenticator.');
    return;
  }
  const scope = isStepUp(purpose) ? STEP_UP_SCOPE : LOGIN_SCOPE;
  // cache-only: the tokens from this code exchange are in the cache; never fall back to a silent iframe login.
  const accessToken = await auth0.getTokenSilently({
    cacheMode: 'cache-only',
    authorizationParams: { audience: config.audience, scope },
  });
  if (!accessToken) throw new Error('the code exchange left no access token in the cache');
  if (purpose === 'app-login' || purpose === 'app-step-up') {
    showView('app');
    await app.loggedIn(purpose === 'app-login' ? 'login' : 'step-up', accessToken);
    return;
  }
  showView('walkthrough');
  walkthroughLoggedIn(
    purpose,
    `GET https://${config.domain}/authorize (code + PKCE, scope="${scope}") → POST /oauth/token`,
    accessToken,
  );
}

async function main(): Promise<void> {
  renderWalkthrough();
  showView(sessionStorage.getItem(VIEW_KEY) === 'walkthrough' ? 'walkthrough' : 'app');
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
  const login = (purpose: LoginPurpose) => () =>
    auth0.loginWithRedirect<AppState>({
      // A step-up also sends acr_values=multi-factor: the Actions grant transfer:funds only then, because it makes
      // Auth0 challenge MFA even on a remembered browser (actions/README.md).
      authorizationParams: isStepUp(purpose)
        ? { scope: STEP_UP_SCOPE, acr_values: STEP_UP_ACR_VALUES }
        : { scope: LOGIN_SCOPE },
      appState: { step: purpose },
    });
  const app = new BankApp({ config, stepUp: login('app-step-up') });

  const query = new URLSearchParams(window.location.search);
  if (query.has('state') && (query.has('code') || query.has('error'))) {
    try {
      await finishLogin(auth0, config, app);
    } catch (error) {
      showMessage(`Login failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      window.history.replaceState({}, document.title, '/');
    }
  }

  wire('view-app', async () => showView('app'));
  wire('view-walkthrough', async () => showView('walkthrough'));
  // The step-up Action challenges with an enrolled factor (as Auth0 does), so a new user enrolls once first:
  // acr_values=multi-factor makes the tenant's hosted pages ask for an enrollment.
  wire('enroll-mfa', () =>
    auth0.loginWithRedirect<AppState>({
      authorizationParams: { scope: 'openid', acr_values: MFA_ACR_VALUE },
      appState: { step: 'enroll-mfa' },
    }),
  );

  wire('app-login', login('app-login'));
  wire('app-refresh', () => app.refresh());
  element('transfer-form', HTMLFormElement).addEventListener('submit', (event) => {
    event.preventDefault();
    const submit = element('transfer-submit', HTMLButtonElement);
    showMessage('');
    submit.disabled = true;
    app
      .submitForm()
      .catch((error: unknown) =>
        showMessage(error instanceof Error ? error.message : String(error)),
      )
      .finally(() => {
        submit.disabled = false;
      });
  });

  const walkthrough = walkthroughActions(config);
  wire('login', login('login'));
  wire('balance', walkthrough.balance);
  wire('transfer-without-step-up', walkthrough.transferWithoutStepUp);
  wire('step-up', login('step-up'));
  wire('transfer', walkthrough.transfer);
  wire('replay', walkthrough.replay);
  wire('reset', walkthrough.reset);
  document.body.dataset['ready'] = 'true';
}

main().catch((error: unknown) =>
  showMessage(`Could not start: ${error instanceof Error ? error.message : String(error)}`),
);
