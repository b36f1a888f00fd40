// What every trigger's `api` factory gets: where to record effects and control-flow requests, and the Action's
// cache; plus `api.cache`, the same on every trigger.
import type { ActionCache } from './action-cache.js';
import type { ExecutionControl } from './post-login-api.js';
import type { PipelineEffects } from './types.js';

export interface TriggerApiContext {
  effects: PipelineEffects;
  control: ExecutionControl;
  cache: ActionCache;
  canRedirect: boolean;
}

/** The api of triggers that offer nothing but `api.cache` (post-user-registration, …). */
export function cacheApi(cache: ActionCache) {
  return {
    get: (key: unknown) => cache.get(String(key)),
    set: (key: unknown, value: unknown, options?: { ttl?: number; expires_at?: number }) =>
      cache.set(String(key), String(value), options),
    delete: (key: unknown) => cache.delete(String(key)),
  };
}
