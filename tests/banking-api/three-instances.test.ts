// Three banking API processes (`npm run api`'s script, as a user runs it) on one real redis-server: concurrent
// transfers spread over all three that together ask for more than the balance. Proves: the money moved equals
// the starting balance minus what is left, no account goes below zero, no token is used twice, an
// Idempotency-Key retried through another instance is counted once, and balances survive an instance restart.
// Skips loudly without redis-server; with CI=true a missing binary fails instead.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  startTestIssuer,
  transferClaims,
  type ApiResponse,
  type TestIssuer,
} from './helpers.js';
import {
  hasRedis,
  requireRedisOrSkipLoudly,
  startRedis,
  type RedisServer,
} from './redis-server.js';

requireRedisOrSkipLoudly('the three-instance ledger suite');

const repoRoot = join(import.meta.dirname, '..', '..');
const CALLER = 'auth0|three-instances';
const START_CHECKING = 250_000;
const AMOUNT = 10_000;
const ORIGINAL_REQUESTS = 36; // 360,000 asked for, 250,000 available: exactly 25 can succeed
const RETRIED_KEYS = 12;

interface Instance {
  url: string;
  child: ChildProcess;
}

/** `tsx scripts/api.ts` on a free port; resolves with the URL from its "banking API listening" log line. */
async function startInstance(issuer: TestIssuer, redisUrl: string): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/api.ts'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ISSUER_BASE_URL: issuer.url,
      PORT: '0',
      REDIS_URL: redisUrl,
      LOG_LEVEL: 'info',
      CORS_ORIGINS: '',
    },
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`npm run api did not start within 60 s:\n${output}`)),
      60_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of output.split('\n')) {
        if (!line.includes('banking API listening')) continue;
        const { url: listening, ledger } = JSON.parse(line) as { url: string; ledger: string };
        if (ledger !== 'redis') reject(new Error(`instance uses the ${ledger} ledger`));
        clearTimeout(timer);
        resolve(listening);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm run api exited with ${code}:\n${output}`));
    });
  });
  return { url, child };
}

async function stopInstance(instance: Instance | undefined): Promise<void> {
  if (!instance || instance.child.exitCode !== null) return;
  const exited = new Promise((resolve) => instance.child.once('exit', resolve));
  instance.child.kill('SIGTERM');
  await exited;
}

describe.skipIf(!hasRedis)('three API instances on one Redis', () => {
  let issuer: TestIssuer;
  let redis: RedisServer;
  let instances: Instance[] = [];
  let inspector: Redis;
  const token = () => issuer.sign(transferClaims({ sub: CALLER, jti: randomUUID() }));

  beforeAll(async () => {
    issuer = await startTestIssuer();
    redis = await startRedis();
    instances = await Promise.all([1, 2, 3].map(() => startInstance(issuer, redis.url)));
    inspector = new Redis(redis.url);
  }, 120_000);
  afterAll(async () => {
    inspector?.disconnect();
    await Promise.all(instances.map(stopInstance));
    await issuer?.close();
    await redis?.stop();
  });

  it('moves exactly what the balance allows, once per key, never below zero, never a token twice', async () => {
    const requests: Array<{ key: string; token: string; url: string }> = [];
    for (let index = 0; index < ORIGINAL_REQUESTS; index += 1)
      requests.push({ key: `k-${index}`, token: await token(), url: instances[index % 3]!.url });
    // A retry of the first keys with a fresh token, through a different instance, fired at the same time.
    for (let index = 0; index < RETRIED_KEYS; index += 1)
      requests.push({
        key: `k-${index}`,
        token: await token(),
        url: instances[(index + 1) % 3]!.url,
      });

    const responses = await Promise.all(
      requests.map(async (request) => ({
        ...request,
        response: await call(request.url, '/transfer', {
          token: request.token,
          body: { from: 'checking', to: 'NL91ABNA0417164300', amount: AMOUNT },
          headers: { 'idempotency-key': `"${request.key}"` },
        }),
      })),
    );
    const statuses = responses.map(({ response }) => response.status);
    expect(statuses.every((status) => status === 200 || status === 422)).toBe(true);

    // Each key was applied at most once: its 200s all name one transfer.
    const transferIdsByKey = new Map<string, Set<string>>();
    for (const { key, response } of responses)
      if (response.status === 200)
        transferIdsByKey.set(
          key,
          (transferIdsByKey.get(key) ?? new Set()).add(String(response.body.transferId)),
        );
    for (const ids of transferIdsByKey.values()) expect(ids.size).toBe(1);
    const applied = transferIdsByKey.size;
    expect(applied).toBe(START_CHECKING / AMOUNT);

    const balance = await call(instances[2]!.url, '/balance', { token: await token() });
    const accounts = balance.body.accounts as Array<{ id: string; balance: number }>;
    const left = accounts.find((account) => account.id === 'checking')!.balance;
    expect(START_CHECKING - left).toBe(applied * AMOUNT);
    for (const account of accounts) expect(account.balance).toBeGreaterThanOrEqual(0);

    // The ledger lists exactly those transfers (from any instance).
    const listed = await call(instances[1]!.url, '/transfers?limit=100', { token: await token() });
    const listedIds = (listed.body.transfers as Array<{ id: string }>).map((entry) => entry.id);
    expect(new Set(listedIds)).toEqual(
      new Set([...transferIdsByKey.values()].flatMap((ids) => [...ids])),
    );

    // No token used twice: every token that moved money is refused on every instance afterwards
    // (without an Idempotency-Key, so no stored answer can stand in for the check).
    const spent = responses.filter(({ response }) => response.status === 200);
    const replays: ApiResponse[] = await Promise.all(
      spent.map(({ token: used }, index) =>
        call(instances[index % 3]!.url, '/transfer', {
          token: used,
          body: { from: 'savings', to: 'NL91ABNA0417164300', amount: 1 }, // affordable
        }),
      ),
    );
    for (const replay of replays) {
      expect(replay.status).toBe(401);
      expect(replay.body.error_description).toBe('transfer token already used');
    }
  });

  it('keeps balances and history when an instance restarts', async () => {
    const before = await call(instances[0]!.url, '/balance', { token: await token() });
    await stopInstance(instances[0]);
    instances[0] = await startInstance(issuer, redis.url);
    const after = await call(instances[0].url, '/balance', { token: await token() });
    expect(after.body.accounts).toEqual(before.body.accounts);
    const listed = await call(instances[0].url, '/transfers?limit=100', { token: await token() });
    expect(listed.body.transfers).toHaveLength(START_CHECKING / AMOUNT);
    // Balances are integers in Redis, one hash per caller.
    const stored = await inspector.keys('banking-api:{*}:accounts');
    expect(stored).toHaveLength(1);
    expect(await inspector.hget(stored[0]!, 'checking')).toBe(String(0));
  });
});
