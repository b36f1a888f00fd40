// Scope and step-up rules. Scopes are exact, space-separated tokens (so `transfer:funds:all` or
// `view:balance2` grant nothing). A transfer additionally needs proof of MFA and a fresh token (seed 002
// workflow step 8; facts §3: Auth0 puts no `amr` in access tokens, so the post-login Action adds a namespaced one).
import { ApiError, insufficientScope, MFA_ACR } from './errors.js';
import type { Principal } from './principal.js';

export const SCOPES = { viewBalance: 'view:balance', transferFunds: 'transfer:funds' } as const;
export const STEP_UP_MAX_AGE_SECONDS = 300;

export function requireScope(principal: Principal, scope: string): void {
  if (!principal.scopes.has(scope)) throw insufficientScope(scope);
}

/** `${audience}/amr` (e.g. https://my-banking-api/amr) is the claim our post-login Action sets. */
export function mfaClaimName(audience: string): string {
  return `${audience.replace(/\/+$/, '')}/amr`;
}

function listsMfa(value: unknown): boolean {
  return value === 'mfa' || (Array.isArray(value) && value.includes('mfa'));
}

export function hasMfaEvidence(principal: Principal, audience: string): boolean {
  return listsMfa(principal.claims[mfaClaimName(audience)]) || listsMfa(principal.claims.amr);
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
  if (principal.source !== 'jwt') {
    throw new ApiError(
      401,
      'insufficient_user_authentication',
      'transfers need an access token issued after MFA',
      {
        acr_values: MFA_ACR,
      },
    );
  }
  if (!hasMfaEvidence(principal, audience)) {
    throw new ApiError(
      401,
      'insufficient_user_authentication',
      'transfers need multi-factor authentication',
      {
        acr_values: MFA_ACR,
      },
    );
  }
  const issuedAt = principal.issuedAt;
  if (issuedAt === undefined || nowSeconds - issuedAt > STEP_UP_MAX_AGE_SECONDS) {
    throw new ApiError(
      401,
      'insufficient_user_authentication',
      'transfers need a token issued in the last 5 minutes',
      {
        acr_values: MFA_ACR,
        max_age: String(STEP_UP_MAX_AGE_SECONDS),
      },
    );
  }
}
