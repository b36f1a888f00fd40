// A recording `api` for post-login Actions. It keeps the token state Auth0 would build (scopes, claims) and
// applies Auth0's rule that custom claims with restricted names are silently dropped.
import type {
  ClaimValue,
  MfaFactor,
  MultifactorEnableOptions,
  MultifactorProvider,
  PostLoginApi,
} from '../types/post-login.js';
import { RESTRICTED_CLAIM_NAMES } from '../runtime/restricted-claims.js';

export { RESTRICTED_CLAIM_NAMES };

export type RecordedCall =
  | { method: 'access.deny'; reason: string }
  | { method: 'accessToken.addScope' | 'accessToken.removeScope'; scope: string }
  | {
      method: 'accessToken.setCustomClaim' | 'idToken.setCustomClaim';
      name: string;
      value: ClaimValue;
    }
  | {
      method: 'multifactor.enable';
      provider: MultifactorProvider;
      options?: MultifactorEnableOptions;
    }
  | { method: 'authentication.challengeWith'; factors: MfaFactor[] }
  | { method: 'authentication.challengeWithAny'; factors: MfaFactor[] };

export interface RecordedToken {
  claims: Record<string, ClaimValue>;
  /** Names passed to setCustomClaim that Auth0 would drop. */
  droppedClaims: string[];
}

export interface ApiRecorder {
  api: PostLoginApi;
  /** Every call, in order. */
  calls: RecordedCall[];
  /** Scopes the access token will carry: the initial scopes plus/minus addScope/removeScope, in call order. */
  accessToken: RecordedToken & { scopes: string[] };
  idToken: RecordedToken;
  /** Reason of the first api.access.deny, if any. */
  deniedReason: string | undefined;
  /** Factor lists of every challengeWith/challengeWithAny (challengeWith: factor + additionalFactors). */
  challenges: MfaFactor[][];
  /** Last multifactor.enable: Auth0 applies it once, at the end of the flow. */
  multifactor: { provider: MultifactorProvider; options?: MultifactorEnableOptions } | undefined;
}

export function createApiRecorder(initialScopes: readonly string[] = []): ApiRecorder {
  const recorder: Omit<ApiRecorder, 'api'> = {
    calls: [],
    accessToken: { scopes: [...initialScopes], claims: {}, droppedClaims: [] },
    idToken: { claims: {}, droppedClaims: [] },
    deniedReason: undefined,
    challenges: [],
    multifactor: undefined,
  };
  const setClaim = (token: RecordedToken, name: string, value: ClaimValue): void => {
    if (RESTRICTED_CLAIM_NAMES.has(name)) token.droppedClaims.push(name);
    else token.claims[name] = structuredClone(value);
  };
  const api: PostLoginApi = {
    access: {
      deny(reason) {
        recorder.calls.push({ method: 'access.deny', reason });
        recorder.deniedReason ??= reason;
      },
    },
    accessToken: {
      setCustomClaim(name, value) {
        recorder.calls.push({ method: 'accessToken.setCustomClaim', name, value });
        setClaim(recorder.accessToken, name, value);
      },
      addScope(scope) {
        recorder.calls.push({ method: 'accessToken.addScope', scope });
        if (!recorder.accessToken.scopes.includes(scope)) recorder.accessToken.scopes.push(scope);
      },
      removeScope(scope) {
        recorder.calls.push({ method: 'accessToken.removeScope', scope });
        recorder.accessToken.scopes = recorder.accessToken.scopes.filter((kept) => kept !== scope);
      },
    },
    idToken: {
      setCustomClaim(name, value) {
        recorder.calls.push({ method: 'idToken.setCustomClaim', name, value });
        setClaim(recorder.idToken, name, value);
      },
    },
    multifactor: {
      enable(provider, options) {
        recorder.calls.push(
          options === undefined
            ? { method: 'multifactor.enable', provider }
            : { method: 'multifactor.enable', provider, options },
        );
        recorder.multifactor = options === undefined ? { provider } : { provider, options };
      },
    },
    authentication: {
      challengeWith(factor, options) {
        const factors = [factor, ...(options?.additionalFactors ?? [])];
        recorder.calls.push({ method: 'authentication.challengeWith', factors });
        recorder.challenges.push(factors);
      },
      challengeWithAny(factors) {
        recorder.calls.push({ method: 'authentication.challengeWithAny', factors: [...factors] });
        recorder.challenges.push([...factors]);
      },
    },
  };
  return Object.assign(recorder, { api });
}
