// The banking API's contract, defined once: what the post-login Actions grant, what the API demands, what the
// SPA and the demo ask for. The Actions bundle this file in (esbuild), so it imports nothing and stays small.

/** The banking API's identifier (token audience) in tenant/tenant.yaml; each environment may deploy another. */
export const BANKING_API_IDENTIFIER = 'https://my-banking-api';

export const VIEW_BALANCE_SCOPE = 'view:balance';
/** The high-value scope: only after MFA completed in the same login, and single-use at the API. */
export const TRANSFER_FUNDS_SCOPE = 'transfer:funds';

/**
 * OpenID PAPE "multi-factor" policy. A client asking for transfer:funds must also send it as `acr_values`:
 * Auth0 documents that it forces MFA even on a browser the user asked to remember
 * (https://auth0.com/docs/secure/multi-factor-authentication/customize-mfa); the API names it in its RFC 9470
 * step-up challenge.
 */
export const MFA_ACR_VALUE = 'http://schemas.openid.net/pape/policies/2007/06/multi-factor';

/**
 * How long an MFA stays good enough to move money, in seconds: the step-up Actions accept an `mfa` method at most
 * this old, and the API accepts a transfer token issued at most this long ago.
 */
export const STEP_UP_MAX_AGE_SECONDS = 300;

/** Names of the Action secrets both step-up Actions read (the config loader cross-checks the identifier). */
export const STEP_UP_SECRET_NAMES = {
  bankingApiIdentifier: 'BANKING_API_IDENTIFIER',
  stepUpClientIds: 'STEP_UP_CLIENT_IDS',
} as const;

/** The Actions, by name (= their file name in actions/src), in the order they must be bound on post-login. */
export const STEP_UP_ACTION_ORDER = ['step-up-challenge', 'step-up-evidence'] as const;

/**
 * Access-token claim listing the methods completed in the step-up login, e.g. `https://my-banking-api/amr`.
 * Namespaced under the identifier because Auth0 silently drops a custom claim named plain `amr`
 * (https://auth0.com/docs/secure/tokens/json-web-tokens/create-custom-claims).
 */
export function amrClaimName(bankingApiIdentifier: string): string {
  return `${bankingApiIdentifier.replace(/\/+$/, '')}/amr`;
}

/**
 * Partners: machine-to-machine clients of the banking API that an operator onboards with `npm run partner`
 * (never through tenant.yaml). The marker and the status live in the client's `client_metadata` (string values
 * only, as Auth0 requires), where the credentials-exchange Action reads them as `event.client.metadata`.
 */
export const PARTNER_METADATA = {
  /** `"true"` on every partner client. */
  marker: 'partner',
  /** `"active"` or `"suspended"`: a suspended partner gets no token. */
  status: 'partner_status',
  /** ISO time of onboarding (Auth0's client objects carry no creation time). */
  createdAt: 'partner_created_at',
} as const;

export const PARTNER_STATUSES = ['active', 'suspended'] as const;
export type PartnerStatus = (typeof PARTNER_STATUSES)[number];

/** Scopes a partner may hold on the banking API: never transfer:funds (moving money needs a person's MFA). */
export const PARTNER_ALLOWED_SCOPES: readonly string[] = [VIEW_BALANCE_SCOPE];

/** The Action's name (= its file in actions/src), bound to the credentials-exchange trigger. */
export const PARTNER_ACCESS_ACTION = 'partner-access';

/** True when client_metadata marks the client as a partner. */
export function isPartnerMetadata(
  metadata: Readonly<Record<string, unknown>> | undefined,
): boolean {
  return metadata?.[PARTNER_METADATA.marker] === 'true';
}

/**
 * Access-token claim naming the partner a client-credentials token belongs to, e.g.
 * `https://my-banking-api/partner_id`; the credentials-exchange Action sets it (value: the partner's client id),
 * the API logs it and answers with it as the caller. Namespaced like the amr claim.
 */
export function partnerClaimName(bankingApiIdentifier: string): string {
  return `${bankingApiIdentifier.replace(/\/+$/, '')}/partner_id`;
}
