// The step-up scenario as data: which step expects which outcome and which claim decides it. Shared
// by `npm run demo` (Node) and the banking web page (browser), so both judge a step the same way.
// No Node or DOM APIs here: only what both runtimes have (atob, TextDecoder).
//
// The numbered flow, after Auth0's "Configure step-up authentication for APIs"
// (https://auth0.com/docs/secure/multi-factor-authentication/step-up-authentication/
// configure-step-up-authentication-for-apis):
//   1. the user logs in; the access token carries view:balance only;
//   2–3. the app reads the balance and the API returns it;
//   4–5. a transfer with the same token is refused: transfer:funds is missing;
//   6. the app sends the user back to the tenant, which challenges MFA and issues a token with
//     transfer:funds;
//   7–8. the transfer succeeds and the API discards the token (single use), so a replay is refused.

import {
  BANKING_API_IDENTIFIER,
  MFA_ACR_VALUE,
  TRANSFER_FUNDS_SCOPE,
  VIEW_BALANCE_SCOPE,
  amrClaimName,
} from './banking-api-contract.js';
import { isRecord } from './guards.js';

export { MFA_ACR_VALUE };
export const BANKING_AUDIENCE = BANKING_API_IDENTIFIER;
export const VIEW_BALANCE = VIEW_BALANCE_SCOPE;
export const TRANSFER_FUNDS = TRANSFER_FUNDS_SCOPE;
/** Step 1: the ordinary login asks only for reading the balance. */
export const LOGIN_SCOPE = `openid profile email ${VIEW_BALANCE}`;
/**
 * Step 6: the same login plus the high-value scope, which makes the post-login Action challenge MFA. It is sent
 * with `acr_values` = STEP_UP_ACR_VALUES: the Actions grant transfer:funds only then (a remembered browser must
 * not skip the MFA).
 */
export const STEP_UP_SCOPE = `${LOGIN_SCOPE} ${TRANSFER_FUNDS}`;
export const STEP_UP_ACR_VALUES = MFA_ACR_VALUE;
/** What the step-up-evidence Action writes (a plain `amr` is a restricted claim Auth0 drops). */
export const AMR_CLAIM = amrClaimName(BANKING_AUDIENCE);

/** A transfer small enough for the demo user's starting balance. */
export const DEMO_TRANSFER = {
  from: 'checking',
  to: 'savings',
  amount: 2_500,
  currency: 'EUR',
} as const;

export type StepId =
  'login' | 'balance' | 'transfer-without-step-up' | 'step-up' | 'transfer' | 'replay';

export interface ScenarioStep {
  id: StepId;
  title: string;
  /** What must happen for the step to pass, in words. */
  expectation: string;
  /** The steps of the numbered flow above that this one shows. */
  flowSteps: string;
}

export const SCENARIO_STEPS: readonly ScenarioStep[] = [
  {
    id: 'login',
    title: 'Log in',
    expectation: `an access token with ${VIEW_BALANCE} and without ${TRANSFER_FUNDS}`,
    flowSteps: '1',
  },
  { id: 'balance', title: 'Get balance', expectation: '200', flowSteps: '2–3' },
  {
    id: 'transfer-without-step-up',
    title: 'Transfer with the login token',
    expectation: '403 insufficient_scope',
    flowSteps: '4–5',
  },
  {
    id: 'step-up',
    title: 'Step up (MFA)',
    expectation: `an access token with ${TRANSFER_FUNDS} and MFA in ${AMR_CLAIM}`,
    flowSteps: '6',
  },
  {
    id: 'transfer',
    title: 'Transfer with the step-up token',
    expectation: '200',
    flowSteps: '7–8',
  },
  {
    id: 'replay',
    title: 'Replay the same token',
    expectation: '401 invalid_token (single-use)',
    flowSteps: '8, the token discarded',
  },
];

export interface StepResult {
  id: StepId;
  title: string;
  /** The request as a person would write it, e.g. `POST http://127.0.0.1:3001/transfer`. */
  request: string;
  /** HTTP status of the deciding response, or "token" for a login step. */
  status: number | 'token';
  expectation: string;
  passed: boolean;
  /** The claim or header that decided the outcome, e.g. `scope="openid view:balance"`. */
  decidingClaim: string;
  /** Anything else worth showing (response body, error description). */
  detail?: string;
}

export interface ApiResponse {
  status: number;
  wwwAuthenticate?: string | null;
  body: unknown;
}

function step(id: StepId): ScenarioStep {
  const found = SCENARIO_STEPS.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`unknown scenario step ${id}`);
  return found;
}

/** Claims of a JWT without verifying it — for display only; the API is what verifies. */
export function decodeJwtClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('not a JWT: expected three dot-separated parts');
  const base64 = payload
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(payload.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
  if (!isRecord(claims)) throw new Error('JWT payload is not an object');
  return claims;
}

export function scopesOf(claims: Record<string, unknown>): string[] {
  return typeof claims['scope'] === 'string' ? claims['scope'].split(' ').filter(Boolean) : [];
}

/** MFA evidence as the banking API accepts it: the namespaced claim only. */
export function mfaMethodsOf(claims: Record<string, unknown>): string[] {
  const value = claims[AMR_CLAIM];
  if (typeof value === 'string') return [value];
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

function describeTokenClaims(claims: Record<string, unknown>): string {
  const amr = mfaMethodsOf(claims);
  return `scope="${scopesOf(claims).join(' ')}"${amr.length > 0 ? ` ${AMR_CLAIM}=${JSON.stringify(amr)}` : ''}`;
}

/** Steps 1 and 6: judge the access token a login produced. */
export function judgeLogin(
  id: 'login' | 'step-up',
  request: string,
  accessToken: string,
): StepResult {
  const claims = decodeJwtClaims(accessToken);
  const scopes = scopesOf(claims);
  const mfa = mfaMethodsOf(claims).includes('mfa');
  const passed =
    id === 'login'
      ? scopes.includes(VIEW_BALANCE) && !scopes.includes(TRANSFER_FUNDS)
      : scopes.includes(TRANSFER_FUNDS) && mfa;
  const { title, expectation } = step(id);
  return {
    id,
    title,
    request,
    status: 'token',
    expectation,
    passed,
    decidingClaim: describeTokenClaims(claims),
  };
}

function expectedStatus(id: StepId): number {
  switch (id) {
    case 'balance':
    case 'transfer':
      return 200;
    case 'transfer-without-step-up':
      return 403;
    case 'replay':
      return 401;
    default:
      throw new Error(`step ${id} is not an API call`);
  }
}

function bearerError(header: string | null | undefined): {
  error?: string;
  scope?: string;
  description?: string;
} {
  if (!header) return {};
  const param = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(header)?.[1];
  const result: { error?: string; scope?: string; description?: string } = {};
  const error = param('error');
  const scope = param('scope');
  const description = param('error_description');
  if (error !== undefined) result.error = error;
  if (scope !== undefined) result.scope = scope;
  if (description !== undefined) result.description = description;
  return result;
}

/** Steps 2, 5, 7 and 8: judge the API's answer to a request made with `accessToken`. */
export function judgeApiCall(
  id: StepId,
  request: string,
  response: ApiResponse,
  accessToken: string,
): StepResult {
  const claims = decodeJwtClaims(accessToken);
  const challenge = bearerError(response.wwwAuthenticate);
  let passed = response.status === expectedStatus(id);
  let decidingClaim = describeTokenClaims(claims);
  if (id === 'transfer-without-step-up') {
    // The 403 must be for the missing scope, not for something unrelated.
    passed &&=
      challenge.error === 'insufficient_scope' && !scopesOf(claims).includes(TRANSFER_FUNDS);
    decidingClaim = `${decidingClaim} → WWW-Authenticate error="${challenge.error ?? ''}" scope="${challenge.scope ?? ''}"`;
  } else if (id === 'replay') {
    passed &&= challenge.error === 'invalid_token';
    decidingClaim = `same token (iat=${String(claims['iat'])}) → WWW-Authenticate error="${challenge.error ?? ''}"${
      challenge.description ? ` error_description="${challenge.description}"` : ''
    }`;
  }
  const { title, expectation } = step(id);
  return {
    id,
    title,
    request,
    status: response.status,
    expectation,
    passed,
    decidingClaim,
    detail: JSON.stringify(response.body),
  };
}

/** Steps 2, 5, 7 and 8 as the page and the demo make them: the call with the token, judged. */
export async function callBankingApi(
  apiUrl: string,
  id: StepId,
  token: string,
): Promise<StepResult> {
  const method = id === 'balance' ? 'GET' : 'POST';
  const url = `${apiUrl}${id === 'balance' ? '/balance' : '/transfer'}`;
  const response = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
    },
    ...(method === 'POST' ? { body: JSON.stringify(DEMO_TRANSFER) } : {}),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return judgeApiCall(
    id,
    `${method} ${url}`,
    { status: response.status, wwwAuthenticate: response.headers.get('www-authenticate'), body },
    token,
  );
}
