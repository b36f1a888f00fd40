// api.cache for Actions: per-Action key/value store with Auth0's documented limits
// (docs/auth0-facts.md §1): default lifetime 15 min, max 24 h, ≤20 entries, key ≤64 bytes, value
// ≤4 KB, total ≤8 KB. Auth0 does not guarantee entries survive between executions; we keep them in
// process memory.

const DEFAULT_TTL_MS = 15 * 60 * 1000;
const MAX_TTL_MS = 24 * 60 * 60 * 1000;
const MAX_ENTRIES = 20;
const MAX_KEY_BYTES = 64;
const MAX_VALUE_BYTES = 4 * 1024;
const MAX_TOTAL_BYTES = 8 * 1024;

export interface CacheEntry {
  value: string;
  expires_at: number;
}

export type CacheWriteResult =
  { type: 'success'; record: CacheEntry } | { type: 'error'; code: string };

export class ActionCacheRegistry {
  private readonly byAction = new Map<string, Map<string, CacheEntry>>();

  constructor(private readonly now: () => number = Date.now) {}

  forAction(actionId: string): ActionCache {
    return new ActionCache(this.entriesOf(actionId), this.now);
  }

  /** The Action's raw entries, to ship to an executor; `replace` stores what it changed. */
  entriesOf(actionId: string): Map<string, CacheEntry> {
    let entries = this.byAction.get(actionId);
    if (!entries) {
      entries = new Map();
      this.byAction.set(actionId, entries);
    }
    return entries;
  }

  replace(actionId: string, entries: Iterable<[string, CacheEntry]>): void {
    this.byAction.set(actionId, new Map(entries));
  }
}

export class ActionCache {
  constructor(
    private readonly entries: Map<string, CacheEntry>,
    private readonly now: () => number,
  ) {}

  get(key: string): CacheEntry | undefined {
    this.evictExpired();
    const entry = this.entries.get(String(key));
    return entry ? { ...entry } : undefined;
  }

  set(
    key: string,
    value: string,
    options: { ttl?: number; expires_at?: number } = {},
  ): CacheWriteResult {
    this.evictExpired();
    const keyText = String(key);
    const valueText = String(value);
    if (Buffer.byteLength(keyText) > MAX_KEY_BYTES) return { type: 'error', code: 'key_too_large' };
    if (Buffer.byteLength(valueText) > MAX_VALUE_BYTES)
      return { type: 'error', code: 'value_too_large' };
    const now = this.now();
    const requestedExpiry = options.expires_at ?? now + (options.ttl ?? DEFAULT_TTL_MS);
    const expiresAt = Math.min(requestedExpiry, now + MAX_TTL_MS);
    if (!this.entries.has(keyText) && this.entries.size >= MAX_ENTRIES)
      return { type: 'error', code: 'too_many_entries' };
    const totalWithout =
      this.totalBytes() -
      (this.entries.has(keyText) ? entryBytes(keyText, this.entries.get(keyText)!) : 0);
    const record = { value: valueText, expires_at: expiresAt };
    if (totalWithout + entryBytes(keyText, record) > MAX_TOTAL_BYTES)
      return { type: 'error', code: 'cache_full' };
    this.entries.set(keyText, record);
    return { type: 'success', record: { ...record } };
  }

  delete(key: string): { type: 'success' } {
    this.entries.delete(String(key));
    return { type: 'success' };
  }

  private evictExpired(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expires_at <= now) this.entries.delete(key);
  }

  private totalBytes(): number {
    let total = 0;
    for (const [key, entry] of this.entries) total += entryBytes(key, entry);
    return total;
  }
}

function entryBytes(key: string, entry: CacheEntry): number {
  return Buffer.byteLength(key) + Buffer.byteLength(entry.value);
}
