// The `api` object handed to onExecutePostLogin. Calls only record intent into PipelineEffects; the token
// issuer applies them after the whole trigger completes, as Auth0 does (tokens are built after the trigger).
import { RESTRICTED_CLAIM_NAMES } from '../../actions/runtime/restricted-claims.js';
import type { ActionCache } from './action-cache.js';
import { jsonValue } from './json-value.js';
import type { ChallengeFactor, PipelineEffects } from './types.js';

/**
 * Claim names Auth0 refuses as custom claims; a colliding claim is silently dropped
 * (docs/auth0-facts.md §1).
 */
export { RESTRICTED_CLAIM_NAMES };

const MULTIFACTOR_PROVIDERS = new Set(['none', 'guardian', 'google-authenticator', 'duo', 'any']);

/** Per-execution record of control-flow requests (deny, challenge) made by one Action. */
export interface ExecutionControl {
  deniedReason?: string;
  /** pre-user-registration: the message api.access.deny asks to show the user. */
  userMessage?: string;
  /** pre-user-registration: api.validation.error. */
  validationError?: { code: string; message: string };
  /** credentials-exchange only: the OAuth error code passed to api.access.deny(code, reason). */
  deniedCode?: string;
  challenge?: { factors: ChallengeFactor[]; mode: 'challenge' | 'enroll' };
}

export class ActionApiUsageError extends Error {}

export interface PostLoginApiContext {
  effects: PipelineEffects;
  control: ExecutionControl;
  cache: ActionCache;
  canRedirect: boolean;
}

export function createPostLoginApi({
  effects,
  control,
  cache,
  canRedirect,
}: PostLoginApiContext): object {
  const setClaim = (target: Record<string, unknown>, name: unknown, value: unknown): void => {
    const claimName = String(name);
    if (RESTRICTED_CLAIM_NAMES.has(claimName)) return;
    // Values cross the vm boundary; a JSON round trip keeps only data (no functions, no foreign prototypes).
    target[claimName] = value === undefined ? undefined : JSON.parse(JSON.stringify(value));
  };
  const requestChallenge = (factors: unknown, mode: 'challenge' | 'enroll'): void => {
    const list = (Array.isArray(factors) ? factors : [factors]).map(normaliseFactor);
    if (list.length === 0)
      throw new ActionApiUsageError(`api.authentication.${mode}With* needs at least one factor`);
    control.challenge = { factors: list, mode };
  };

  const api = {
    access: {
      deny(reason: unknown) {
        control.deniedReason = String(reason ?? '');
        return api;
      },
    },
    accessToken: {
      setCustomClaim(name: unknown, value: unknown) {
        setClaim(effects.accessTokenClaims, name, value);
        return api;
      },
      addScope(scope: unknown) {
        effects.scopeOperations.push({ op: 'add', scope: String(scope) });
        return api;
      },
      removeScope(scope: unknown) {
        effects.scopeOperations.push({ op: 'remove', scope: String(scope) });
        return api;
      },
    },
    idToken: {
      setCustomClaim(name: unknown, value: unknown) {
        setClaim(effects.idTokenClaims, name, value);
        return api;
      },
    },
    multifactor: {
      enable(provider: unknown, options?: { allowRememberBrowser?: boolean }) {
        const name = String(provider);
        if (!MULTIFACTOR_PROVIDERS.has(name))
          throw new ActionApiUsageError(`api.multifactor.enable: unknown provider "${name}"`);
        effects.multifactor = {
          provider: name,
          allowRememberBrowser: options?.allowRememberBrowser === true,
        };
        return api;
      },
    },
    authentication: {
      challengeWith(factor: unknown, options?: { additionalFactors?: unknown[] }) {
        requestChallenge([factor, ...(options?.additionalFactors ?? [])], 'challenge');
        return api;
      },
      challengeWithAny(factors: unknown) {
        requestChallenge(factors, 'challenge');
        return api;
      },
      enrollWith(factor: unknown, options?: { additionalFactors?: unknown[] }) {
        requestChallenge([factor, ...(options?.additionalFactors ?? [])], 'enroll');
        return api;
      },
      enrollWithAny(factors: unknown) {
        requestChallenge(factors, 'enroll');
        return api;
      },
      recordMethod() {
        throw new ActionApiUsageError(
          'api.authentication.recordMethod is only available in onContinuePostLogin',
        );
      },
      setPrimaryUser() {
        throw new ActionApiUsageError(
          'api.authentication.setPrimaryUser is not supported by the local tenant',
        );
      },
    },
    cache: {
      get: (key: unknown) => cache.get(String(key)),
      set: (key: unknown, value: unknown, options?: { ttl?: number; expires_at?: number }) =>
        cache.set(String(key), String(value), options),
      delete: (key: unknown) => cache.delete(String(key)),
    },
    redirect: {
      canRedirect: () => canRedirect,
      sendUserTo() {
        throw new ActionApiUsageError(
          'api.redirect.sendUserTo is not supported by the local tenant',
        );
      },
      encodeToken() {
        throw new ActionApiUsageError(
          'api.redirect.encodeToken is not supported by the local tenant',
        );
      },
      validateToken() {
        throw new ActionApiUsageError(
          'api.redirect.validateToken is not supported by the local tenant',
        );
      },
    },
    transaction: {
      setMetadata(key: unknown, value: unknown) {
        if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
          throw new ActionApiUsageError(
            'api.transaction.setMetadata accepts only string, number or boolean values',
          );
        }
        effects.transactionMetadata[String(key)] = value;
        return api;
      },
    },
    user: {
      setAppMetadata(key: unknown, value: unknown) {
        effects.appMetadata[String(key)] = jsonValue(value);
        return api;
      },
      setUserMetadata(key: unknown, value: unknown) {
        effects.userMetadata[String(key)] = jsonValue(value);
        return api;
      },
    },
  };
  return api;
}

function normaliseFactor(raw: unknown): ChallengeFactor {
  if (typeof raw !== 'object' || raw === null || !('type' in raw) || typeof raw.type !== 'string') {
    throw new ActionApiUsageError(
      'api.authentication factor must be an object with a string "type"',
    );
  }
  const { type } = raw;
  const options = 'options' in raw ? raw.options : undefined;
  return options ? { type, options: JSON.parse(JSON.stringify(options)) } : { type };
}
