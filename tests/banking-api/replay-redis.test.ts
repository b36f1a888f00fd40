// Single-use transfer tokens across two API instances sharing a real redis-server (started here on a random
// loopback port, no persistence). Skips loudly without redis-server; with CI=true a missing binary fails.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BankingApi } from '../../banking-api/index.js';
import { tokenFingerprint } from '../../banking-api/replay-store.js';
import {
  call,
  startApi,
  startTestIssuer,
  transferClaims,
  validTransfer,
  type TestIssuer,
} from './helpers.js';
import {
  freePort,
  hasRedis,
  requireRedisOrSkipLoudly,
  startRedis,
  type RedisServer,
} from './redis-server.js';

requireRedisOrSkipLoudly('the cross-instance replay suite');

describe.skipIf(!hasRedis)('replay store shared through Redis', () => {
  let issuer: TestIssuer;
  let redis: RedisServer;
  let instanceA: BankingApi & { url: string };
  let instanceB: BankingApi & { url: string };
  let inspector: Redis;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    redis = await startRedis();
    instanceA = await startApi(issuer, { redisUrl: redis.url });
    instanceB = await startApi(issuer, { redisUrl: redis.url });
    inspector = new Redis(redis.url);
  });
  afterAll(async () => {
    inspector?.disconnect();
    await instanceA?.close();
    await instanceB?.close();
    await issuer?.close();
    await redis?.stop();
  });

  it('a token spent on instance A is refused as a replay on instance B', async () => {
    const token = await issuer.sign(transferClaims({ sub: 'auth0|redis-1' }));
    expect((await call(instanceA.url, '/transfer', { token, body: validTransfer })).status).toBe(
      200,
    );
    const replay = await call(instanceB.url, '/transfer', { token, body: validTransfer });
    expect(replay.status).toBe(401);
    expect(replay.body.error_description).toBe('transfer token already used');
    // One shared ledger: both instances see the one debit, and B applied nothing more.
    for (const instance of [instanceA, instanceB])
      expect((await instance.ledger.balances('auth0|redis-1'))[0]!.balance).toBe(
        250_000 - validTransfer.amount,
      );
  });

  it('concurrent submissions spread over both instances are applied exactly once', async () => {
    const token = await issuer.sign(transferClaims({ sub: 'auth0|redis-2' }));
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        call(index % 2 ? instanceA.url : instanceB.url, '/transfer', {
          token,
          body: validTransfer,
        }),
      ),
    );
    expect(responses.filter((response) => response.status === 200)).toHaveLength(1);
    expect(responses.filter((response) => response.status === 401)).toHaveLength(19);
    const [checking] = await instanceA.ledger.balances('auth0|redis-2');
    expect(250_000 - checking!.balance).toBe(validTransfer.amount);
  });

  it('stores only the token hash, expiring with the token', async () => {
    const exp = Math.floor(Date.now() / 1000) + 120;
    const token = await issuer.sign(transferClaims({ sub: 'auth0|redis-3', exp }));
    expect((await call(instanceA.url, '/transfer', { token, body: validTransfer })).status).toBe(
      200,
    );
    const key = `banking-api:used-transfer-token:${tokenFingerprint(token)}`;
    expect(await inspector.get(key)).toBe('1');
    const ttlMs = await inspector.pttl(key);
    expect(ttlMs).toBeGreaterThan(100_000);
    expect(ttlMs).toBeLessThanOrEqual(125_000); // exp + the 5 s clock tolerance
    const keys = await inspector.keys('*');
    expect(keys.join(' ')).not.toContain(token.split('.')[2]!.slice(0, 20));
  });

  it('answers 503 (not 500) to transfers and reads when Redis is unreachable', async () => {
    const deadUrl = `redis://127.0.0.1:${await freePort()}`;
    const orphan = await startApi(issuer, { redisUrl: deadUrl });
    try {
      const token = await issuer.sign(transferClaims({ sub: 'auth0|redis-down' }));
      const response = await call(orphan.url, '/transfer', { token, body: validTransfer });
      expect(response.status).toBe(503);
      expect(response.body.error).toBe('temporarily_unavailable');
      // The ledger lives there too: reads are 503 as well, never a made-up balance.
      const balance = await call(orphan.url, '/balance', { token });
      expect(balance.status).toBe(503);
      expect(balance.body.error_description).toContain('ledger');
    } finally {
      await orphan.close();
    }
  });
});
