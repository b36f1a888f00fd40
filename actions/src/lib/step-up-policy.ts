// The one decision both step-up Actions share: may this token carry transfer:funds, must we challenge first, or
// is the token none of our business? Pure function of the event and the clock so both Actions (and their
// bundles) agree by construction.
import type {
  AuthenticationMethod,
  PostLoginEvent,
  PostLoginTransaction,
} from '../../types/post-login.js';
import { SECRET_NAMES, TRANSFER_FUNDS_SCOPE, amrClaimName } from './banking-api.js';

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
 * A method counts as "completed in this transaction" when its timestamp is at most this old. The event has no
 * transaction start time, and an SSO session (or a refresh token) carries the methods of the ORIGINAL login
 * with their original timestamps; a challenge issued by challengeWith* completes just before the next Action
 * starts, so its timestamp is seconds old. Five minutes leaves room for a slow first factor.
 */
export const MFA_MAX_AGE_SECONDS = 300;
/** Tolerated clock difference for timestamps slightly in the future. */
const CLOCK_SKEW_MS = 60_000;

export type StepUpDecision =
  | { kind: 'not-applicable' }
  | { kind: 'remove-transfer'; reason: string }
  | { kind: 'challenge' }
  | { kind: 'allow-transfer'; amrClaim: string; methods: string[] };

export function decideStepUp(event: PostLoginEvent, nowMs: number): StepUpDecision {
  const bankingApi = event.secrets[SECRET_NAMES.bankingApiIdentifier]?.trim();
  // Without the identifier we cannot tell which token is the banking API's: strip the scope from every token.
  if (!bankingApi) return removeTransfer(`secret ${SECRET_NAMES.bankingApiIdentifier} is missing`);
  if (event.resource_server?.identifier !== bankingApi) return { kind: 'not-applicable' };

  // Checked before requested_scopes: a refresh-token or password grant can yield transfer:funds without
  // requesting it (omitted scope = originally granted / all API scopes).
  if (!canPrompt(event.transaction)) {
    return removeTransfer(
      `flow cannot show an MFA prompt (protocol ${event.transaction?.protocol ?? 'unknown'})`,
    );
  }
  if (!event.transaction?.requested_scopes.includes(TRANSFER_FUNDS_SCOPE))
    return { kind: 'not-applicable' };

  const stepUpClients = parseList(event.secrets[SECRET_NAMES.stepUpClientIds]);
  if (stepUpClients.length === 0)
    return removeTransfer(`secret ${SECRET_NAMES.stepUpClientIds} is missing or empty`);
  if (!stepUpClients.includes(event.client.client_id)) {
    return removeTransfer(
      `client ${event.client.client_id} is not in ${SECRET_NAMES.stepUpClientIds}`,
    );
  }

  const methods = methodsCompletedInTransaction(event.authentication?.methods ?? [], nowMs);
  if (!methods.includes('mfa')) return { kind: 'challenge' };
  return { kind: 'allow-transfer', amrClaim: amrClaimName(bankingApi), methods };
}

function removeTransfer(reason: string): StepUpDecision {
  return { kind: 'remove-transfer', reason };
}

function canPrompt(transaction: PostLoginTransaction | undefined): boolean {
  if (!transaction?.protocol || !PROMPTING_PROTOCOLS.has(transaction.protocol)) return false;
  return !(transaction.prompt ?? []).includes('none');
}

function parseList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** Distinct names of the methods whose timestamp falls inside this transaction, in event order. */
export function methodsCompletedInTransaction(
  methods: readonly AuthenticationMethod[],
  nowMs: number,
): string[] {
  const names: string[] = [];
  for (const method of methods) {
    const completedAt = parseTimestampMs(method.timestamp);
    if (completedAt === undefined) continue; // unknown format: not evidence
    const ageMs = nowMs - completedAt;
    if (ageMs < -CLOCK_SKEW_MS || ageMs > MFA_MAX_AGE_SECONDS * 1000) continue;
    if (!names.includes(method.name)) names.push(method.name);
  }
  return names;
}

// Auth0 does not document the timestamp format (UNCONFIRMED): accept ISO-8601 and epoch seconds/milliseconds.
function parseTimestampMs(timestamp: string | number): number | undefined {
  const text = String(timestamp).trim();
  if (/^\d+$/.test(text)) {
    const epoch = Number(text);
    return epoch < 1e12 ? epoch * 1000 : epoch;
  }
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? undefined : parsed;
}
