// The decisions both step-up Actions share, as pure functions of the event and the clock, so the two Actions (and
// their bundles) agree by construction.
//
// "This transaction" is established by Auth0, not by us: step-up-challenge calls challengeWithAny on every login
// that may receive transfer:funds, and Auth0 documents that a challenge is satisfied only by a matching factor
// completed *in this transaction* or by completing it now
// (https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/login-trigger/post-login-api-object).
// step-up-evidence then re-checks the result with the freshness window, and `acr_values` covers the remembered
// browser (see actions/README.md).
import type {
  AuthenticationMethod,
  MfaFactor,
  PostLoginEvent,
  PostLoginTransaction,
} from '../../types/post-login.js';
import {
  MFA_ACR_VALUE,
  STEP_UP_MAX_AGE_SECONDS,
  STEP_UP_SECRET_NAMES as SECRETS,
  TRANSFER_FUNDS_SCOPE,
} from '../../../lib/banking-api-contract.js';

/**
 * Flows that go through Universal Login in a browser and so can show an MFA prompt. An allow-list: refresh-token,
 * password/resource-owner, token exchange, CIBA, device code and any protocol Auth0 adds later fail closed.
 */
const PROMPTING_PROTOCOLS: ReadonlySet<string> = new Set([
  'oidc-basic-profile',
  'oidc-implicit-profile',
  'oidc-hybrid-profile',
]);

/**
 * Factors offered for step-up. Never email: it is also the password-reset channel, so whoever controls the
 * inbox would pass both steps. Auth0 ignores types not enabled on the tenant or not enrolled by the user.
 */
export const STEP_UP_FACTORS: readonly MfaFactor[] = [
  { type: 'push-notification', options: { otpFallback: true } },
  { type: 'otp' },
  { type: 'webauthn-roaming' },
  { type: 'webauthn-platform' },
  { type: 'phone', options: { preferredMethod: 'both' } },
  { type: 'recovery-code' },
];

/**
 * `type` of an `mfa` method that counts as step-up: the factors above. UNCONFIRMED: a phone challenge may be
 * recorded as `phone`, `sms` or `voice`, so all three are accepted; `email` or no type is never evidence.
 */
const STEP_UP_METHOD_TYPES: ReadonlySet<string> = new Set([
  'push-notification',
  'otp',
  'webauthn-roaming',
  'webauthn-platform',
  'phone',
  'sms',
  'voice',
  'recovery-code',
]);

/** Tolerated clock difference for timestamps slightly in the future. */
const CLOCK_SKEW_MS = 60_000;

export type StepUpGate =
  | { kind: 'not-applicable' }
  | { kind: 'remove-transfer'; reason: string }
  | { kind: 'step-up'; bankingApi: string };

/**
 * Whether this token may carry transfer:funds after MFA (`step-up`), may not carry it at all (`remove-transfer`:
 * every branch other than "allowed" for the banking API), or is another API's token (`not-applicable`).
 */
export function stepUpGate(event: PostLoginEvent): StepUpGate {
  const bankingApi = event.secrets[SECRETS.bankingApiIdentifier]?.trim();
  // Without the identifier we cannot tell which token is the banking API's: strip the scope from every token.
  if (!bankingApi) return removeTransfer(`secret ${SECRETS.bankingApiIdentifier} is missing`);
  if (event.resource_server?.identifier !== bankingApi) return { kind: 'not-applicable' };

  const transaction = event.transaction;
  // Before requested_scopes: a refresh-token or password grant can yield transfer:funds without requesting it.
  if (!canPrompt(transaction))
    return removeTransfer(
      `flow cannot show an MFA prompt (protocol ${event.transaction?.protocol ?? 'unknown'})`,
    );
  // Granted but not requested (a default or RBAC grant) is removed too: only an explicit request is challenged.
  // Stryker disable next-line ArrayDeclaration: equivalent — any fallback list without transfer:funds is the same
  if (!(transaction.requested_scopes ?? []).includes(TRANSFER_FUNDS_SCOPE))
    return removeTransfer(`${TRANSFER_FUNDS_SCOPE} was not requested`);

  const clients = (event.secrets[SECRETS.stepUpClientIds] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
  if (clients.length === 0)
    return removeTransfer(`secret ${SECRETS.stepUpClientIds} is missing or empty`);
  if (!clients.includes(event.client.client_id))
    return removeTransfer(`client ${event.client.client_id} is not in ${SECRETS.stepUpClientIds}`);
  // Auth0 documents acr_values=multi-factor as forcing MFA despite a remembered browser; without it a
  // "remember this device" tick could satisfy the challenge (UNCONFIRMED either way), so no transfer.
  // Stryker disable next-line ArrayDeclaration: equivalent — any fallback list without the policy URI is the same
  if (!(transaction.acr_values ?? []).includes(MFA_ACR_VALUE))
    return removeTransfer(`acr_values does not ask for ${MFA_ACR_VALUE}`);
  return { kind: 'step-up', bankingApi };
}

function removeTransfer(reason: string): StepUpGate {
  return { kind: 'remove-transfer', reason };
}

function canPrompt(
  transaction: PostLoginTransaction | undefined,
): transaction is PostLoginTransaction {
  if (!transaction?.protocol || !PROMPTING_PROTOCOLS.has(transaction.protocol)) return false;
  // Stryker disable next-line ArrayDeclaration: equivalent — any fallback list without 'none' is the same
  return !(transaction.prompt ?? []).includes('none');
}

/**
 * Distinct names of the methods completed within the step-up window, in event order — the `amr` evidence. An
 * `mfa` method counts only with a step-up factor type. An SSO session or refresh token carries the original
 * login's methods with their original timestamps, so an MFA older than the window is never this login's.
 */
export function stepUpEvidence(methods: readonly AuthenticationMethod[], nowMs: number): string[] {
  const names: string[] = [];
  for (const method of methods) {
    // Stryker disable next-line StringLiteral: equivalent — any fallback that is not a step-up type is the same
    if (method.name === 'mfa' && !STEP_UP_METHOD_TYPES.has(method.type ?? '')) continue;
    const completedAt = parseTimestampMs(method.timestamp);
    if (completedAt === undefined) continue; // unknown format: not evidence
    const ageMs = nowMs - completedAt;
    if (ageMs < -CLOCK_SKEW_MS || ageMs > STEP_UP_MAX_AGE_SECONDS * 1000) continue;
    if (!names.includes(method.name)) names.push(method.name);
  }
  return names;
}

// Auth0 does not document the timestamp format (UNCONFIRMED): accept ISO-8601 and epoch seconds/milliseconds.
function parseTimestampMs(timestamp: string): number | undefined {
  const text = String(timestamp).trim();
  if (/^\d+$/.test(text)) {
    const epoch = Number(text);
    return epoch < 1e12 ? epoch * 1000 : epoch;
  }
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? undefined : parsed;
}
