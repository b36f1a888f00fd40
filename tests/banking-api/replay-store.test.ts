// The single-use store on its own: first claim wins, replays lose until the token expires, memory is swept, and
// the Redis store keeps only a fingerprint with the token's lifetime (real redis-server; skipped loudly without).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  MemoryReplayStore,
  RedisReplayStore,
  createReplayStore,
  tokenFingerprint,
} from '../../banking-api/replay-store.js';

const T0 = 1_800_000_000_000;
afterEach(() => vi.useRealTimers());

describe('tokenFingerprint', () => {
  it('is the base64url SHA-256 of the token, never the token', () => {
    const expected = createHash('sha256').update('a.b.c').digest('base64url');
    expect(tokenFingerprint('a.b.c')).toBe(expected);
    expect(tokenFingerprint('a.b.c')).not.toContain('a.b.c');
  });
});

describe('MemoryReplayStore', () => {
  const at = (ms: number) => vi.setSystemTime(T0 + ms);
  const store = () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at(0);
    return new MemoryReplayStore();
  };

  it('answers true once per token, false on every replay, true for another token', async () => {
    const replay = store();
    expect(await replay.claimOnce('token-a', 1000)).toBe(true);
    expect(await replay.claimOnce('token-a', 1000)).toBe(false);
    expect(await replay.claimOnce('token-a', 1000)).toBe(false);
    expect(await replay.claimOnce('token-b', 1000)).toBe(true);
  });

  it('remembers a token for exactly its ttl: refused at 999 ms, accepted again at 1000 ms', async () => {
    const replay = store();
    await replay.claimOnce('token', 1000);
    at(999);
    expect(await replay.claimOnce('token', 1000)).toBe(false);
    at(1000);
    expect(await replay.claimOnce('token', 1000)).toBe(true);
  });

  it('remembers a token with ttl 0 or below for 1 ms, not 0', async () => {
    const replay = store();
    expect(await replay.claimOnce('zero', 0)).toBe(true);
    expect(await replay.claimOnce('zero', 0)).toBe(false);
    expect(await replay.claimOnce('negative', -50)).toBe(true);
    expect(await replay.claimOnce('negative', -50)).toBe(false);
    at(1);
    expect(await replay.claimOnce('zero', 0)).toBe(true);
  });

  it('sweeps expired fingerprints at most once a second, including those expiring exactly then', async () => {
    const replay = store();
    await replay.claimOnce('a', 100); // expires at 100; sweeps (next sweep at 1000)
    at(200);
    await replay.claimOnce('b', 800); // expires at 1000; no sweep yet: 'a' is kept
    expect(replay.size).toBe(2);
    at(999);
    await replay.claimOnce('c', 5000); // still no sweep
    expect(replay.size).toBe(3);
    at(1000);
    await replay.claimOnce('d', 5000); // sweeps 'a' and 'b' (expiring exactly now)
    expect(replay.size).toBe(3 - 2 + 1);
    at(1500);
    await replay.claimOnce('e', 1); // next sweep only at 2000
    at(1999);
    await replay.claimOnce('f', 1);
    expect(replay.size).toBe(4);
  });

  it('close() forgets everything', async () => {
    const replay = store();
    await replay.claimOnce('token', 1000);
    await replay.close();
    expect(replay.size).toBe(0);
    expect(await replay.claimOnce('token', 1000)).toBe(true);
  });
});

describe('createReplayStore', () => {
  it('keeps fingerprints in memory without a Redis URL, in Redis with one', async () => {
    expect(createReplayStore(undefined)).toBeInstanceOf(MemoryReplayStore);
    expect(createReplayStore('')).toBeInstanceOf(MemoryReplayStore);
    const redis = createReplayStore('redis://127.0.0.1:1');
    expect(redis).toBeInstanceOf(RedisReplayStore);
    await redis.close();
  });
});

const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedis) {
  const message = 'redis-server not found: SKIPPING the RedisReplayStore unit tests';
  if (process.env.CI === 'true') throw new Error(`${message} — CI=true, failing instead`);
  console.warn(`\n!!! ${message}\n`);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.skipIf(!hasRedis)('RedisReplayStore against redis-server', () => {
  let child: ChildProcess | undefined;
  let url = '';
  let inspector: Redis;

  beforeAll(async () => {
    const port = await freePort();
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    url = `redis://127.0.0.1:${port}`;
    inspector = new Redis(url, { lazyConnect: true });
    inspector.on('error', () => undefined); // until redis-server listens
    for (let attempt = 0; ; attempt++) {
      try {
        await inspector.connect();
        break;
      } catch (error) {
        if (attempt > 100) throw error;
        inspector.disconnect();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  });
  afterAll(async () => {
    inspector?.disconnect();
    child?.kill();
  });

  it('claims once per token and stores only the fingerprint, with the ttl as expiry', async () => {
    const store = new RedisReplayStore(url);
    try {
      expect(await store.claimOnce('jwt-1', 60_000)).toBe(true);
      expect(await store.claimOnce('jwt-1', 60_000)).toBe(false);
      const key = `banking-api:used-transfer-token:${tokenFingerprint('jwt-1')}`;
      expect(await inspector.get(key)).toBe('1');
      const ttl = await inspector.pttl(key);
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
      expect(await inspector.keys('*jwt-1*')).toEqual([]);
    } finally {
      await store.close();
    }
    // close() really disconnects: the store takes no further claims.
    await expect(store.claimOnce('jwt-1b', 1000)).rejects.toThrow(/Connection is closed/);
  });

  it('rounds a fractional ttl up and gives a ttl of 0 one millisecond, under its own prefix', async () => {
    const store = new RedisReplayStore(url, 'test-prefix:');
    try {
      expect(await store.claimOnce('jwt-2', 1500.2)).toBe(true);
      const ttl = await inspector.pttl(`test-prefix:${tokenFingerprint('jwt-2')}`);
      expect(ttl).toBeGreaterThan(1400);
      expect(ttl).toBeLessThanOrEqual(1501);
      expect(await store.claimOnce('jwt-3', 0)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await store.claimOnce('jwt-3', 0)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('fails fast instead of waiting forever when Redis is unreachable', async () => {
    const store = new RedisReplayStore(`redis://127.0.0.1:${await freePort()}`);
    // The store listens for connection errors, so ioredis never reports an unhandled 'error' event.
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      // One retry, then the error: a transfer never queues behind an unreachable Redis.
      await expect(store.claimOnce('jwt-4', 1000)).rejects.toThrow(
        /max retries per request limit \(which is 1\)/,
      );
      expect(consoleError).not.toHaveBeenCalled();
    } finally {
      consoleError.mockRestore();
      await store.close();
    }
  });
});
