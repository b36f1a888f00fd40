// The step-up flow's eight steps (lib/banking-scenario.ts) against running servers: two logins
// through the hosted pages (the second asks for transfer:funds and passes MFA) and four API calls.
// Each step is judged by lib/banking-scenario.ts, the same judge the web page uses.
import {
  BANKING_AUDIENCE,
  LOGIN_SCOPE,
  MFA_ACR_VALUE,
  STEP_UP_ACR_VALUES,
  STEP_UP_SCOPE,
  callBankingApi,
  judgeLogin,
  type StepResult,
} from '../../lib/banking-scenario.js';
import { loginThroughHostedPages } from './hosted-login.js';
import type { Narrator } from './narrator.js';

export interface ScenarioTarget {
  /** Tenant domain without scheme. */
  domain: string;
  caCertPem?: string;
  spaClientId: string;
  /** An allowed callback of the SPA client. */
  redirectUri: string;
  apiUrl: string;
  username: string;
  password: string;
  totpCode(secret: string): Promise<string>;
}

/**
 * Onboarding, before the scenario: the demo user enrolls a one-time-code (TOTP) factor through the hosted
 * enrollment page. The step-up Action challenges with an *enrolled* factor, as Auth0 does, so this comes first.
 * Returns the enrolled secret (the demo's "authenticator app").
 */
export async function enrollTotp(target: ScenarioTarget, narrator: Narrator): Promise<string> {
  const enrollment = await loginThroughHostedPages({
    domain: target.domain,
    ...(target.caCertPem ? { caCertPem: target.caCertPem } : {}),
    clientId: target.spaClientId,
    redirectUri: target.redirectUri,
    audience: BANKING_AUDIENCE,
    scope: 'openid',
    acrValues: MFA_ACR_VALUE,
    username: target.username,
    password: target.password,
    totpCode: target.totpCode,
  });
  if (!enrollment.totpSecret)
    throw new Error(
      'the enrollment login did not show the OTP enrollment page (is the user already enrolled?)',
    );
  narrator.info(
    `enrolled ${target.username}'s one-time-code factor: login with acr_values=${MFA_ACR_VALUE}`,
  );
  narrator.hops(enrollment.hops);
  return enrollment.totpSecret;
}

export async function playScenario(
  target: ScenarioTarget,
  totpSecret: string,
  narrator: Narrator,
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const record = (result: StepResult, hops: Parameters<Narrator['step']>[1] = []) => {
    results.push(result);
    narrator.step(result, hops);
    return result;
  };
  const login = (scope: string, cookies?: Map<string, string>, acrValues?: string) =>
    loginThroughHostedPages({
      ...(acrValues ? { acrValues } : {}),
      domain: target.domain,
      ...(target.caCertPem ? { caCertPem: target.caCertPem } : {}),
      clientId: target.spaClientId,
      redirectUri: target.redirectUri,
      audience: BANKING_AUDIENCE,
      scope,
      username: target.username,
      password: target.password,
      totpCode: target.totpCode,
      totpSecret,
      ...(cookies ? { cookies } : {}),
    });
  const authorizeRequest = (scope: string, acrValues?: string) =>
    `GET https://${target.domain}/authorize (response_type=code, PKCE S256, audience=${BANKING_AUDIENCE}, scope="${scope}"${acrValues ? `, acr_values=${acrValues}` : ''})`;

  // Steps 1–3: ordinary login, read the balance.
  const first = await login(LOGIN_SCOPE);
  record(judgeLogin('login', authorizeRequest(LOGIN_SCOPE), first.accessToken), first.hops);
  record(await callBankingApi(target.apiUrl, 'balance', first.accessToken));

  // Steps 4–5: the same token cannot move money.
  record(await callBankingApi(target.apiUrl, 'transfer-without-step-up', first.accessToken));

  // Step 6: back to the tenant asking for transfer:funds; the post-login Action challenges MFA. The tenant
  // session cookie from the first login is reused, as the browser would.
  // acr_values=multi-factor: without it the Actions withhold transfer:funds (a remembered browser must not skip MFA).
  const stepUp = await login(STEP_UP_SCOPE, first.cookies, STEP_UP_ACR_VALUES);
  record(
    judgeLogin('step-up', authorizeRequest(STEP_UP_SCOPE, STEP_UP_ACR_VALUES), stepUp.accessToken),
    stepUp.hops,
  );

  // Steps 7–8: the transfer goes through once; the API discards the token, so a replay is refused.
  record(await callBankingApi(target.apiUrl, 'transfer', stepUp.accessToken));
  record(await callBankingApi(target.apiUrl, 'replay', stepUp.accessToken));
  return results;
}
