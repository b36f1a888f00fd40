// The single source of the banking API's names. The Actions read the identifier from the Action secret
// BANKING_API_IDENTIFIER at run time (so one bundle serves dev/staging/prod); the default below is what tests and
// the tenant configuration put into that secret.

export const DEFAULT_BANKING_API_IDENTIFIER = 'https://my-banking-api';

export const VIEW_BALANCE_SCOPE = 'view:balance';
export const TRANSFER_FUNDS_SCOPE = 'transfer:funds';

/** Names of the Action secrets both step-up Actions read. */
export const SECRET_NAMES = {
  bankingApiIdentifier: 'BANKING_API_IDENTIFIER',
  stepUpClientIds: 'STEP_UP_CLIENT_IDS',
} as const;

/**
 * Access-token claim listing the authentication methods completed in this transaction, namespaced under the
 * API identifier because a plain `amr` is a restricted claim name Auth0 silently drops.
 */
export function amrClaimName(bankingApiIdentifier: string): string {
  return `${bankingApiIdentifier.replace(/\/+$/, '')}/amr`;
}
