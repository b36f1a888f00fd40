// A small per-caller ledger in integer minor units (cents), kept in memory. Every new caller starts with the
// same demo balances so demos and tests are deterministic. Updates are synchronous, so a transfer is applied
// atomically with respect to every other request in this process.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

export const CURRENCY = 'EUR';
export const OWN_ACCOUNTS = ['checking', 'savings'] as const;
export type OwnAccount = (typeof OWN_ACCOUNTS)[number];
export const DEMO_BALANCES: Readonly<Record<OwnAccount, number>> = {
  checking: 250_000,
  savings: 1_000_000,
};
/** Largest single transfer: 1,000,000.00 EUR — far below Number.MAX_SAFE_INTEGER. */
export const MAX_TRANSFER_MINOR_UNITS = 100_000_000;

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

export interface TransferReceipt {
  transferId: string;
  from: OwnAccount;
  to: string;
  amount: number;
  currency: string;
  balances: AccountBalance[];
}

export class InsufficientFundsError extends Error {}

export class Ledger {
  private readonly accounts = new Map<string, Record<OwnAccount, number>>();

  private accountsOf(callerId: string): Record<OwnAccount, number> {
    let accounts = this.accounts.get(callerId);
    if (!accounts) {
      accounts = { ...DEMO_BALANCES };
      this.accounts.set(callerId, accounts);
    }
    return accounts;
  }

  balances(callerId: string): AccountBalance[] {
    const accounts = this.accountsOf(callerId);
    return OWN_ACCOUNTS.map((id) => ({ id, balance: accounts[id] }));
  }

  canAfford(callerId: string, request: TransferRequest): boolean {
    return this.accountsOf(callerId)[request.from] >= request.amount;
  }

  /** Throws InsufficientFundsError and changes nothing when the source account would go negative. */
  transfer(callerId: string, request: TransferRequest): TransferReceipt {
    const accounts = this.accountsOf(callerId);
    if (accounts[request.from] < request.amount)
      throw new InsufficientFundsError(`insufficient funds in ${request.from}`);
    accounts[request.from] -= request.amount;
    if (isOwnAccount(request.to)) accounts[request.to] += request.amount;
    return {
      transferId: `tr_${randomUUID()}`,
      from: request.from,
      to: request.to,
      amount: request.amount,
      currency: CURRENCY,
      balances: this.balances(callerId),
    };
  }
}

function isOwnAccount(account: string): account is OwnAccount {
  return (OWN_ACCOUNTS as readonly string[]).includes(account);
}
