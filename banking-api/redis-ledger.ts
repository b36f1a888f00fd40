// The ledger in Redis, shared by every API instance and surviving their restarts (Redis's own persistence —
// AOF or RDB — decides what survives a Redis restart).
//
// A transfer runs as ONE Lua script (EVALSHA): Redis executes a script atomically, so "is the key already used →
// is there enough money → debit, credit, record, remember the key" cannot interleave with another instance's
// transfer. MULTI/WATCH would also be correct, but it is optimistic: under contention on one account (the case
// that matters — concurrent transfers from the same checking account) every instance but one sees its EXEC
// aborted and must re-read and retry, costing round trips that grow with the number of instances; the script
// always takes one round trip and never retries. All keys of a caller share the hash tag `{caller}`, so the
// script stays valid on Redis Cluster (a script may only touch keys of one slot).
import { Redis, type Result } from 'ioredis';
import {
  DEMO_BALANCES,
  IDEMPOTENCY_TTL_MS,
  KEPT_TRANSFERS_PER_CALLER,
  OWN_ACCOUNTS,
  TransferRecordSchema,
  isOwnAccount,
  receiptOf,
  transferRecord,
  type AccountBalance,
  type IdempotencyClaim,
  type Ledger,
  type StoredIdempotentResult,
  type TransferOutcome,
  type TransferRecord,
  type TransferRequest,
} from './ledger.js';
import { z } from 'zod';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** TRANSFER_SCRIPT, registered with defineCommand in the constructor. */
    bankingTransfer(...args: Array<string | number>): Result<unknown, Context>;
  }
}

/** The script's reply: an outcome name, then its values (a stored transfer, or the two new balances). */
const transferReplySchema = z.tuple([z.string()], z.union([z.string(), z.number()]));

/**
 * KEYS: 1 accounts hash, 2 transfers list, 3 idempotency key (ignored unless ARGV[8] == '1').
 * ARGV: 1 from, 2 to, 3 amount, 4 '1' if `to` is the caller's own account, 5/6 demo checking/savings,
 * 7 transfer record JSON, 8 has idempotency key, 9 request fingerprint, 10 key TTL ms, 11 transfers kept.
 * Returns {'replayed', storedJson} | {'insufficient_funds'} | {'applied', checking, savings}.
 */
const TRANSFER_SCRIPT = `
if ARGV[8] == '1' then
  local stored = redis.call('GET', KEYS[3])
  if stored then return {'replayed', stored} end
end
redis.call('HSETNX', KEYS[1], 'checking', ARGV[5])
redis.call('HSETNX', KEYS[1], 'savings', ARGV[6])
local amount = tonumber(ARGV[3])
if tonumber(redis.call('HGET', KEYS[1], ARGV[1])) < amount then return {'insufficient_funds'} end
local checking, savings
if ARGV[1] == 'checking' then checking = redis.call('HINCRBY', KEYS[1], 'checking', -amount)
else savings = redis.call('HINCRBY', KEYS[1], 'savings', -amount) end
if ARGV[4] == '1' then
  if ARGV[2] == 'checking' then checking = redis.call('HINCRBY', KEYS[1], 'checking', amount)
  else savings = redis.call('HINCRBY', KEYS[1], 'savings', amount) end
end
checking = checking or tonumber(redis.call('HGET', KEYS[1], 'checking'))
savings = savings or tonumber(redis.call('HGET', KEYS[1], 'savings'))
redis.call('LPUSH', KEYS[2], ARGV[7])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[11]) - 1)
if ARGV[8] == '1' then
  local stored = '{"fingerprint":"' .. ARGV[9] .. '","record":' .. ARGV[7] ..
    ',"checking":' .. checking .. ',"savings":' .. savings .. '}'
  redis.call('SET', KEYS[3], stored, 'PX', ARGV[10])
end
return {'applied', checking, savings}
`;

const StoredSchema = z.object({
  fingerprint: z.string(),
  record: TransferRecordSchema,
  checking: z.number().int(),
  savings: z.number().int(),
});

function balancesFrom(checking: number, savings: number): AccountBalance[] {
  return [
    { id: 'checking', balance: checking },
    { id: 'savings', balance: savings },
  ];
}

function parseStored(json: string): StoredIdempotentResult {
  const stored = StoredSchema.parse(JSON.parse(json));
  return {
    fingerprint: stored.fingerprint,
    receipt: receiptOf(stored.record, balancesFrom(stored.checking, stored.savings)),
  };
}

export class RedisLedger implements Ledger {
  readonly kind = 'redis';
  private readonly redis: Redis;

  constructor(
    redisUrl: string,
    private readonly prefix = 'banking-api:',
  ) {
    // Same fail-fast policy as the replay store: a transfer must not wait forever for an unreachable Redis.
    this.redis = new Redis(redisUrl, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
    });
    this.redis.on('error', () => undefined); // surfaced per command; avoids an unhandled 'error' event
    this.redis.defineCommand('bankingTransfer', { numberOfKeys: 3, lua: TRANSFER_SCRIPT });
  }

  /** `{caller}` is the Cluster hash tag; encoding keeps a `{` or `}` in a caller id from breaking it. */
  private key(callerId: string, name: string): string {
    return `${this.prefix}{${encodeURIComponent(callerId)}}:${name}`;
  }

  async balances(callerId: string): Promise<AccountBalance[]> {
    const values = await this.redis.hmget(this.key(callerId, 'accounts'), ...OWN_ACCOUNTS);
    return OWN_ACCOUNTS.map((id, index) => ({
      id,
      balance: values[index] == null ? DEMO_BALANCES[id] : Number(values[index]),
    }));
  }

  async findIdempotent(callerId: string, key: string) {
    const stored = await this.redis.get(this.key(callerId, `idempotency:${key}`));
    return stored === null ? undefined : parseStored(stored);
  }

  async transfer(
    callerId: string,
    request: TransferRequest,
    record: Pick<TransferRecord, 'id' | 'at'>,
    idempotency?: IdempotencyClaim,
  ): Promise<TransferOutcome> {
    const applied = transferRecord(callerId, request, record);
    const reply = await this.redis.bankingTransfer(
      this.key(callerId, 'accounts'),
      this.key(callerId, 'transfers'),
      this.key(callerId, `idempotency:${idempotency?.key ?? ''}`),
      request.from,
      request.to,
      request.amount,
      isOwnAccount(request.to) ? '1' : '0',
      DEMO_BALANCES.checking,
      DEMO_BALANCES.savings,
      JSON.stringify(applied),
      idempotency ? '1' : '0',
      idempotency?.fingerprint ?? '',
      IDEMPOTENCY_TTL_MS,
      KEPT_TRANSFERS_PER_CALLER,
    );
    const result = transferReplySchema.parse(reply);
    if (result[0] === 'replayed')
      return { kind: 'replayed', stored: parseStored(String(result[1])) };
    if (result[0] === 'insufficient_funds') return { kind: 'insufficient_funds' };
    return {
      kind: 'applied',
      receipt: receiptOf(applied, balancesFrom(Number(result[1]), Number(result[2]))),
    };
  }

  async recentTransfers(callerId: string, limit: number): Promise<TransferRecord[]> {
    const entries = await this.redis.lrange(this.key(callerId, 'transfers'), 0, limit - 1);
    return entries.map((entry) => TransferRecordSchema.parse(JSON.parse(entry)));
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
