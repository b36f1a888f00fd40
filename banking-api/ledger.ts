// The ledger: per-caller accounts in integer minor units (cents), the transfers applied to them, and the
// Idempotency-Key results that let a client retry a transfer safely. Two stores implement it: memory (the
// zero-setup default, one process) and Redis (banking-api/redis-ledger.ts, shared by every instance).
// Every new caller starts with the same demo balances so demos and tests are deterministic.
import { z } from 'zod';
import { isOneOf } from '../lib/guards.js';

export const CURRENCY = 'EUR';
export const OWN_ACCOUNTS = ['checking', 'savings'] as const;
export type OwnAccount = (typeof OWN_ACCOUNTS)[number];
export const DEMO_BALANCES: Readonly<Record<OwnAccount, number>> = {
  checking: 250_000,
  savings: 1_000_000,
};
/** Largest single transfer: 1,000,000.00 EUR — far below Number.MAX_SAFE_INTEGER. */
export const MAX_TRANSFER_MINOR_UNITS = 100_000_000;
/** Transfers kept per caller for GET /transfers (older ones are dropped). */
export const KEPT_TRANSFERS_PER_CALLER = 100;
/** How long an Idempotency-Key's result is kept (the IETF draft suggests at least 24 hours). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export const TransferRequestSchema = z
  .strictObject({
    from: z.enum(OWN_ACCOUNTS),
    /** One of the caller's own accounts, or an external account (IBAN-like, letters and digits). */
    to: z.string().regex(/^[A-Za-z0-9-]{1,34}$/, 'must be 1-34 letters, digits or dashes'),
    amount: z
      .number()
      .int('must be an integer number of cents')
      .min(1)
      .max(MAX_TRANSFER_MINOR_UNITS),
    currency: z.literal(CURRENCY).default(CURRENCY),
    reference: z.string().max(140).optional(),
  })
  .refine((transfer) => transfer.from !== transfer.to, {
    message: 'must differ from "from"',
    path: ['to'],
  });
export type TransferRequest = z.infer<typeof TransferRequestSchema>;

export interface AccountBalance {
  id: OwnAccount;
  balance: number;
}

/** One applied transfer, as stored and as GET /transfers lists it. */
export interface TransferRecord {
  id: string;
  caller: string;
  from: OwnAccount;
  to: string;
  amount: number;
  currency: string;
  reference?: string;
  /** ISO 8601, when the transfer was applied. */
  at: string;
}

export const TransferRecordSchema: z.ZodType<TransferRecord> = z.object({
  id: z.string(),
  caller: z.string(),
  from: z.enum(OWN_ACCOUNTS),
  to: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  reference: z.string().optional(),
  at: z.string(),
});

export interface TransferReceipt {
  transferId: string;
  from: OwnAccount;
  to: string;
  amount: number;
  currency: string;
  reference?: string;
  at: string;
  /** The caller's balances right after this transfer. */
  balances: AccountBalance[];
}

/** An Idempotency-Key (already scoped to the caller by the ledger) and the fingerprint of its request body. */
export interface IdempotencyClaim {
  key: string;
  fingerprint: string;
}

/** What an earlier transfer with the same Idempotency-Key left behind. */
export interface StoredIdempotentResult {
  fingerprint: string;
  receipt: TransferReceipt;
}

export type TransferOutcome =
  | { kind: 'applied'; receipt: TransferReceipt }
  /** The key was used before (possibly by a concurrent request): nothing moved, here is its result. */
  | { kind: 'replayed'; stored: StoredIdempotentResult }
  | { kind: 'insufficient_funds' };

export interface Ledger {
  readonly kind: 'memory' | 'redis';
  balances(callerId: string): Promise<AccountBalance[]>;
  /** The result stored for this caller's Idempotency-Key, if it is younger than 24 h. */
  findIdempotent(callerId: string, key: string): Promise<StoredIdempotentResult | undefined>;
  /**
   * Atomically: if the key has a stored result, return it; else refuse an overdraft, or apply the transfer,
   * record it and store its result under the key. `record` carries the id and time the caller chose.
   */
  transfer(
    callerId: string,
    request: TransferRequest,
    record: Pick<TransferRecord, 'id' | 'at'>,
    idempotency?: IdempotencyClaim,
  ): Promise<TransferOutcome>;
  /** The caller's most recent transfers, newest first. */
  recentTransfers(callerId: string, limit: number): Promise<TransferRecord[]>;
  close(): Promise<void>;
}

export function isOwnAccount(account: string): account is OwnAccount {
  return isOneOf(OWN_ACCOUNTS, account);
}

export function transferRecord(
  callerId: string,
  request: TransferRequest,
  record: Pick<TransferRecord, 'id' | 'at'>,
): TransferRecord {
  return {
    id: record.id,
    caller: callerId,
    from: request.from,
    to: request.to,
    amount: request.amount,
    currency: request.currency,
    ...(request.reference === undefined ? {} : { reference: request.reference }),
    at: record.at,
  };
}

export function receiptOf(record: TransferRecord, balances: AccountBalance[]): TransferReceipt {
  const { id, from, to, amount, currency, reference, at } = record;
  return {
    transferId: id,
    from,
    to,
    amount,
    currency,
    ...(reference === undefined ? {} : { reference }),
    at,
    balances,
  };
}

interface CallerBook {
  accounts: Record<OwnAccount, number>;
  transfers: TransferRecord[];
  idempotent: Map<string, StoredIdempotentResult & { expiresAt: number }>;
}

/** One process only. Every method runs synchronously inside, so each transfer is atomic in this process. */
export class MemoryLedger implements Ledger {
  readonly kind = 'memory';
  private readonly books = new Map<string, CallerBook>();

  private bookOf(callerId: string): CallerBook {
    let book = this.books.get(callerId);
    if (!book) {
      book = { accounts: { ...DEMO_BALANCES }, transfers: [], idempotent: new Map() };
      this.books.set(callerId, book);
    }
    return book;
  }

  private balancesOf(book: CallerBook): AccountBalance[] {
    return OWN_ACCOUNTS.map((id) => ({ id, balance: book.accounts[id] }));
  }

  async balances(callerId: string): Promise<AccountBalance[]> {
    return this.balancesOf(this.bookOf(callerId));
  }

  private stored(book: CallerBook, key: string, now = Date.now()) {
    const entry = book.idempotent.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      book.idempotent.delete(key);
      return undefined;
    }
    return { fingerprint: entry.fingerprint, receipt: entry.receipt };
  }

  async findIdempotent(callerId: string, key: string) {
    return this.stored(this.bookOf(callerId), key);
  }

  async transfer(
    callerId: string,
    request: TransferRequest,
    record: Pick<TransferRecord, 'id' | 'at'>,
    idempotency?: IdempotencyClaim,
  ): Promise<TransferOutcome> {
    const book = this.bookOf(callerId);
    if (idempotency) {
      const stored = this.stored(book, idempotency.key);
      if (stored) return { kind: 'replayed', stored };
    }
    if (book.accounts[request.from] < request.amount) return { kind: 'insufficient_funds' };
    book.accounts[request.from] -= request.amount;
    if (isOwnAccount(request.to)) book.accounts[request.to] += request.amount;
    const applied = transferRecord(callerId, request, record);
    book.transfers.unshift(applied);
    book.transfers.length = Math.min(book.transfers.length, KEPT_TRANSFERS_PER_CALLER);
    const receipt = receiptOf(applied, this.balancesOf(book));
    if (idempotency) {
      book.idempotent.set(idempotency.key, {
        fingerprint: idempotency.fingerprint,
        receipt,
        expiresAt: Date.now() + IDEMPOTENCY_TTL_MS,
      });
    }
    return { kind: 'applied', receipt };
  }

  async recentTransfers(callerId: string, limit: number): Promise<TransferRecord[]> {
    return this.bookOf(callerId).transfers.slice(0, limit);
  }

  async close(): Promise<void> {
    this.books.clear();
  }
}
