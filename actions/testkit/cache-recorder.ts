// `api.cache` for the test kit: an in-memory store with Auth0's default 15-minute lifetime, recording every call.
import type { ActionCacheApi, CacheRecord } from '../types/common.js';

export type CacheCall =
  | { method: 'cache.get' | 'cache.delete'; key: string }
  | { method: 'cache.set'; key: string; value: string };

const DEFAULT_TTL_MS = 15 * 60 * 1000;

export interface CacheRecorder {
  api: ActionCacheApi;
  entries: Map<string, CacheRecord>;
}

export function createCacheRecorder(
  calls: { push(call: CacheCall): unknown },
  now: () => number = Date.now,
): CacheRecorder {
  const entries = new Map<string, CacheRecord>();
  const api: ActionCacheApi = {
    get(key) {
      calls.push({ method: 'cache.get', key });
      const record = entries.get(key);
      return record && record.expires_at > now() ? { ...record } : undefined;
    },
    set(key, value, options = {}) {
      calls.push({ method: 'cache.set', key, value });
      const record = {
        value: String(value),
        expires_at: options.expires_at ?? now() + (options.ttl ?? DEFAULT_TTL_MS),
      };
      entries.set(key, record);
      return { type: 'success', record: { ...record } };
    },
    delete(key) {
      calls.push({ method: 'cache.delete', key });
      entries.delete(key);
      return { type: 'success' };
    },
  };
  return { api, entries };
}

/** The recorder of a trigger whose api is only `cache` (post-user-registration, post-change-password, …). */
export interface CacheOnlyRecorder {
  api: { cache: ActionCacheApi };
  calls: CacheCall[];
  cache: Map<string, CacheRecord>;
}

export function createCacheOnlyRecorder(): CacheOnlyRecorder {
  const calls: CacheCall[] = [];
  const cache = createCacheRecorder(calls);
  return { api: { cache: cache.api }, calls, cache: cache.entries };
}
