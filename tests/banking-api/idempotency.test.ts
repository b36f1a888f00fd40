// Idempotency-Key on POST /transfer and GET /transfers, against both ledgers: in memory, and in a real
// redis-server (skipped loudly without the binary; with CI=true that fails instead).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BankingApi } from '../../banking-api/index.js';
import {
  call,
  startApi,
  startTestIssuer,
  transferClaims,
  validTransfer,
  type TestIssuer,
} from './helpers.js';
import {
  hasRedis,
  requireRedisOrSkipLoudly,
  startRedis,
  type RedisServer,
} from './redis-server.js';

requireRedisOrSkipLoudly('the Redis half of the idempotency suite');

const ledgers = [
  { name: 'memory', needsRedis: false },
  { name: 'redis', needsRedis: true },
] as const;

describe.each(ledgers)('Idempotency-Key with the $name ledger', ({ name, needsRedis }) => {
  let issuer: TestIssuer;
  let redis: RedisServer | undefined;
  let api: BankingApi & { url: string };
  let callerSeq = 0;

  beforeAll(async () => {
    if (needsRedis && !hasRedis) return;
    issuer = await startTestIssuer();
    redis = needsRedis ? await startRedis() : undefined;
    api = await startApi(issuer, { redisUrl: redis?.url });
  });
  afterAll(async () => {
    await api?.close();
    await issuer?.close();
    await redis?.stop();
  });

  /** A caller of its own per test, so balances start from the demo values. */
  function newCaller(): string {
    callerSeq += 1;
    return `auth0|idem-${name}-${callerSeq}`;
  }
  // A jti makes every token distinct even when signed within the same second.
  const freshToken = (sub: string) => issuer.sign(transferClaims({ sub, jti: randomUUID() }));
  const transfer = async (sub: string, key: string | undefined, body: unknown = validTransfer) =>
    call(api.url, '/transfer', {
      token: await freshToken(sub),
      body,
      headers: key === undefined ? {} : { 'idempotency-key': key },
    });
  const checking = async (sub: string) => (await api.ledger.balances(sub))[0]!.balance;

  it.skipIf(needsRedis && !hasRedis)(
    'a retry with the same key and a fresh token returns the original status and body, moving nothing',
    async () => {
      const sub = newCaller();
      const first = await transfer(sub, '"retry-1"');
      expect(first.status).toBe(200);
      const retry = await transfer(sub, '"retry-1"');
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual(first.body);
      expect(await checking(sub)).toBe(250_000 - validTransfer.amount);
      const listed = await call(api.url, '/transfers', { token: await freshToken(sub) });
      expect(listed.status).toBe(200);
      expect(listed.body.transfers).toHaveLength(1);
    },
  );

  it.skipIf(needsRedis && !hasRedis)(
    'marks a replayed answer with Idempotent-Replayed and accepts the key unquoted too',
    async () => {
      const sub = newCaller();
      const token = await freshToken(sub);
      const send = () =>
        fetch(new URL('/transfer', api.url), {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'idempotency-key': 'bare-key_1',
          },
          body: JSON.stringify(validTransfer),
        });
      const first = await send();
      expect(first.status).toBe(200);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      // The same token again: with the key it is a retry (the original answer), not a replay attack (401).
      const again = await send();
      expect(again.status).toBe(200);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await again.json()).toEqual(await first.json());
      expect(await checking(sub)).toBe(250_000 - validTransfer.amount);
    },
  );

  it.skipIf(needsRedis && !hasRedis)(
    'the same key with a different body is 422 and moves nothing',
    async () => {
      const sub = newCaller();
      expect((await transfer(sub, '"k-body"')).status).toBe(200);
      const changed = await transfer(sub, '"k-body"', { ...validTransfer, amount: 9_999 });
      expect(changed.status).toBe(422);
      expect(changed.body.error).toBe('idempotency_key_reused');
      expect(await checking(sub)).toBe(250_000 - validTransfer.amount);
    },
  );

  it.skipIf(needsRedis && !hasRedis)(
    'keys belong to their caller: another caller with the same key gets its own transfer',
    async () => {
      const [alice, bob] = [newCaller(), newCaller()];
      const first = await transfer(alice, '"shared-key"');
      const other = await transfer(bob, '"shared-key"');
      expect(other.status).toBe(200);
      expect(other.body.transferId).not.toBe(first.body.transferId);
      expect(await checking(bob)).toBe(250_000 - validTransfer.amount);
    },
  );

  it.skipIf(needsRedis && !hasRedis)(
    'without a key every fresh token moves money; different keys are different transfers',
    async () => {
      const sub = newCaller();
      await transfer(sub, undefined);
      await transfer(sub, undefined);
      await transfer(sub, '"a"');
      await transfer(sub, '"b"');
      expect(await checking(sub)).toBe(250_000 - 4 * validTransfer.amount);
    },
  );

  it.skipIf(needsRedis && !hasRedis)(
    'concurrent retries with one key and distinct fresh tokens are applied once',
    async () => {
      const sub = newCaller();
      const responses = await Promise.all(
        Array.from({ length: 8 }, () => transfer(sub, '"burst"')),
      );
      expect(responses.map((response) => response.status)).toEqual(Array(8).fill(200));
      expect(new Set(responses.map((response) => response.body.transferId)).size).toBe(1);
      expect(await checking(sub)).toBe(250_000 - validTransfer.amount);
    },
  );

  it.skipIf(needsRedis && !hasRedis)(
    'refuses a malformed or repeated Idempotency-Key with 400, before anything moves',
    async () => {
      const sub = newCaller();
      for (const bad of ['""', '"has"quote"', 'two words', '"a", "b"', `"${'x'.repeat(256)}"`]) {
        const response = await transfer(sub, bad);
        expect(response.status, bad).toBe(400);
        expect(response.body.error_description).toContain('Idempotency-Key');
      }
      expect(await checking(sub)).toBe(250_000);
    },
  );

  it.skipIf(needsRedis && !hasRedis)(
    'an insufficient-funds answer is not stored: the same key succeeds once the money is there',
    async () => {
      const sub = newCaller();
      const tooMuch = { from: 'checking', to: 'savings', amount: 250_001 };
      expect((await transfer(sub, '"later"', tooMuch)).status).toBe(422);
      expect(
        (await transfer(sub, undefined, { from: 'savings', to: 'checking', amount: 1 })).status,
      ).toBe(200);
      expect((await transfer(sub, '"later"', tooMuch)).status).toBe(200);
      expect(await checking(sub)).toBe(0);
    },
  );

  it.skipIf(needsRedis && !hasRedis)(
    'GET /transfers lists the caller’s own transfers, newest first, with id, from, to, amount and time',
    async () => {
      const sub = newCaller();
      await transfer(sub, undefined, {
        from: 'checking',
        to: 'DE89370400440532013000',
        amount: 100,
      });
      await transfer(sub, undefined, {
        from: 'savings',
        to: 'checking',
        amount: 200,
        reference: 'rent',
      });
      await transfer(newCaller(), undefined); // someone else's
      const listed = await call(api.url, '/transfers?limit=5', { token: await freshToken(sub) });
      expect(listed.status).toBe(200);
      const transfers = listed.body.transfers as Array<Record<string, unknown>>;
      expect(transfers).toHaveLength(2);
      expect(transfers[0]).toMatchObject({
        caller: sub,
        from: 'savings',
        to: 'checking',
        amount: 200,
        reference: 'rent',
      });
      expect(transfers[1]).toMatchObject({
        from: 'checking',
        to: 'DE89370400440532013000',
        amount: 100,
      });
      expect(String(transfers[0]!.id)).toMatch(/^tr_/);
      expect(Date.parse(String(transfers[0]!.at))).not.toBeNaN();
      expect(
        (await call(api.url, '/transfers?limit=0', { token: await freshToken(sub) })).status,
      ).toBe(400);
      // view:balance suffices (no step-up needed to read history); without it, 403.
      const noScope = await issuer.sign({ sub, scope: 'openid' });
      expect((await call(api.url, '/transfers', { token: noScope })).status).toBe(403);
    },
  );
});
