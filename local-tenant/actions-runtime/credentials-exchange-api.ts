// The `api` handed to onExecuteCredentialsExchange (https://auth0.com/docs/customize/actions/explore-triggers/machine-to-machine-trigger/credentials-exchange-api-object):
// access.deny(code, reason), accessToken.setCustomClaim and cache. Calls only record intent; the token endpoint
// applies them after the trigger completed, as for post-login.
import { RESTRICTED_CLAIM_NAMES } from '../../actions/runtime/restricted-claims.js';
import type { ActionCache } from './action-cache.js';
import { ActionApiUsageError, type ExecutionControl } from './post-login-api.js';
import type { PipelineEffects } from './types.js';

/** The OAuth error codes Auth0 documents for api.access.deny in this trigger. */
export const CREDENTIALS_EXCHANGE_DENY_CODES: ReadonlySet<string> = new Set([
  'invalid_scope',
  'invalid_request',
  'server_error',
]);

export function createCredentialsExchangeApi({
  effects,
  control,
  cache,
}: {
  effects: PipelineEffects;
  control: ExecutionControl;
  cache: ActionCache;
}): object {
  const api = {
    access: {
      deny(code: unknown, reason?: unknown) {
        const errorCode = String(code);
        // Auth0 lists the allowed codes; anything else is the Action's bug, reported as a failed execution
        // (UNCONFIRMED: what Auth0 does with another code is not documented).
        if (!CREDENTIALS_EXCHANGE_DENY_CODES.has(errorCode))
          throw new ActionApiUsageError(
            `api.access.deny: code must be invalid_scope, invalid_request or server_error, not "${errorCode}"`,
          );
        control.deniedCode = errorCode;
        control.deniedReason = reason === undefined ? '' : String(reason);
        return api;
      },
    },
    accessToken: {
      setCustomClaim(name: unknown, value: unknown) {
        const claimName = String(name);
        if (RESTRICTED_CLAIM_NAMES.has(claimName)) return api;
        // Values cross the vm boundary; a JSON round trip keeps only data.
        effects.accessTokenClaims[claimName] =
          value === undefined ? undefined : JSON.parse(JSON.stringify(value));
        return api;
      },
    },
    cache: {
      get: (key: unknown) => cache.get(String(key)),
      set: (key: unknown, value: unknown, options?: { ttl?: number; expires_at?: number }) =>
        cache.set(String(key), String(value), options),
      delete: (key: unknown) => cache.delete(String(key)),
    },
  };
  return api;
}
