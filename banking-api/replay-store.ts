// Single-use transfer tokens: the token's SHA-256 is remembered until the token expires. Memory for one
// instance; Redis (SET key 1 NX PX ttl — one atomic set-if-absent with expiry) when several instances sit
// behind a load balancer.
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';

export interface ReplayStore {
  /** true the first time a token is presented, false on every replay until it expires. */
  claimOnce(token: string, ttlMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Only a hash is stored, so a dump of the store (or of Redis) yields no usable token. */
export function tokenFingerprint(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export class MemoryReplayStore implements ReplayStore {
  private readonly seen = new Map<string, number>();
  private nextSweepAt = 0;

  async claimOnce(token: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    this.sweep(now);
    const key = tokenFingerprint(token);
    const expiresAt = this.seen.get(key);
    // Stryker disable next-line ConditionalExpression: equivalent — `undefined > now` is false as well
    if (expiresAt !== undefined && expiresAt > now) return false;
    this.seen.set(key, now + Math.max(ttlMs, 1));
    return true;
  }

  /** Expired fingerprints are dropped at most once a second, keeping memory bounded by live tokens. */
  private sweep(now: number): void {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + 1_000;
    for (const [key, expiresAt] of this.seen) if (expiresAt <= now) this.seen.delete(key);
  }

  get size(): number {
    return this.seen.size;
  }

  async close(): Promise<void> {
    this.seen.clear();
  }
}

export class RedisReplayStore implements ReplayStore {
  private readonly redis: Redis;

  constructor(
    redisUrl: string,
    private readonly keyPrefix = 'banking-api:used-transfer-token:',
  ) {
    // Fail fast instead of queueing: a transfer must not wait forever for an unreachable Redis.
    this.redis = new Redis(redisUrl, {
      // Stryker disable next-line BooleanLiteral: equivalent — connecting at construction or at the first claim
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
      connectTimeout: 2_000,
    });
    this.redis.on('error', () => undefined); // surfaced per command; avoids an unhandled 'error' event
  }

  async claimOnce(token: string, ttlMs: number): Promise<boolean> {
    const result = await this.redis.set(
      this.keyPrefix + tokenFingerprint(token),
      '1',
      'PX',
      Math.max(Math.ceil(ttlMs), 1),
      'NX',
    );
    return result === 'OK';
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

export function createReplayStore(redisUrl: string | undefined): ReplayStore {
  return redisUrl ? new RedisReplayStore(redisUrl) : new MemoryReplayStore();
}
