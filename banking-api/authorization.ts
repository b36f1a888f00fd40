// Scope and step-up rules. Scopes are exact, space-separated tokens (so `transfer:funds:all` or
// `view:balance2` grant nothing). A transfer additionally needs proof of MFA and a fresh token. Auth0 puts no
// `amr` in access tokens, so the step-up-evidence post-login Action adds a namespaced one; that claim is the only
// evidence accepted — a plain `amr`, should an issuer ever add one, could reflect an earlier login's MFA.
import {
  STEP_UP_MAX_AGE_SECONDS,
  TRANSFER_FUNDS_SCOPE,
  VIEW_BALANCE_SCOPE,
  amrClaimName,
} from '../lib/banking-api-contract.js';
import { ApiError, insufficientScope, MFA_ACR } from './errors.js';
import type { Principal } from './principal.js';

export const SCOPES = {
  viewBalance: VIEW_BALANCE_SCOPE,
  transferFunds: TRANSFER_FUNDS_SCOPE,
} as const;
export { STEP_UP_MAX_AGE_SECONDS };

export function requireScope(principal: Principal, scope: string): void {
  if (!principal.scopes.has(scope)) throw insufficientScope(scope);
}

/** `${audience}/amr` (e.g. https://my-banking-api/amr): the claim the step-up-evidence Action sets. */
export const mfaClaimName = amrClaimName;

export function hasMfaEvidence(principal: Principal, audience: string): boolean {
  const value = principal.claims[mfaClaimName(audience)];
  return value === 'mfa' || (Array.isArray(value) && value.includes('mfa'));
}

function stepUpNeeded(description: string, extra: Record<string, string> = {}): ApiError {
  return new ApiError(401, 'insufficient_user_authentication', description, {
    acr_values: MFA_ACR,
    ...extra,
  });
}

/**
 * RFC 9470 (OAuth 2.0 Step-Up Authentication Challenge): a token that is valid but not strong or fresh enough
 * gets 401 `insufficient_user_authentication` with the `acr_values` / `max_age` the client must ask for.
 */
export function requireStepUp(
  principal: Principal,
  audience: string,
  nowSeconds = Date.now() / 1000,
): void {
  if (principal.source !== 'jwt')
    throw stepUpNeeded('transfers need an access token issued after MFA');
  if (!hasMfaEvidence(principal, audience))
    throw stepUpNeeded('transfers need multi-factor authentication');
  const issuedAt = principal.issuedAt;
  if (issuedAt === undefined || nowSeconds - issuedAt > STEP_UP_MAX_AGE_SECONDS) {
    throw stepUpNeeded('transfers need a token issued in the last 5 minutes', {
      max_age: String(STEP_UP_MAX_AGE_SECONDS),
    });
  }
}
