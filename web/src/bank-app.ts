// The first view: a small banking app. Log in (view:balance) → balances, recent transfers, a transfer form.
// A transfer is sent with the token at hand; when the API asks for more (403 insufficient_scope, 401
// insufficient_user_authentication, or a spent step-up token) the app keeps the transfer and its
// Idempotency-Key in sessionStorage, logs in again asking for transfer:funds (the tenant asks for MFA) and, back
// from the redirect, sends the same transfer with the same key — so a retry can never move the money twice.
import * as z from 'zod/mini';
import type { WebConfig } from '../config-schema.js';
import {
  BankClient,
  transferBodySchema,
  describeFailure,
  formatCents,
  needsStepUp,
  parseAmountToCents,
  type AccountBalance,
  type TransferBody,
  type TransferEntry,
} from './bank-client.js';
import { cell, element, showMessage, showNotice } from './dom.js';

const PENDING_KEY = 'banking-pending-transfer';

// Written by this page before the step-up redirect; read back (and checked) when it returns.
const pendingTransferSchema = z.object({ body: transferBodySchema, idempotencyKey: z.string() });
type PendingTransfer = z.infer<typeof pendingTransferSchema>;

export interface BankAppOptions {
  config: WebConfig;
  /** Redirects to the tenant asking for transfer:funds; resolves only if the redirect fails. */
  stepUp: () => Promise<void>;
}

export class BankApp {
  private readonly client: BankClient;
  /** Latest access token (reads need view:balance, which every login asks for). */
  private token: string | undefined;
  /** A step-up token not yet spent on a transfer. */
  private transferToken: string | undefined;

  constructor(private readonly options: BankAppOptions) {
    this.client = new BankClient(options.config.apiUrl);
  }

  private get pending(): PendingTransfer | undefined {
    try {
      const stored = sessionStorage.getItem(PENDING_KEY);
      const parsed = stored ? pendingTransferSchema.safeParse(JSON.parse(stored)) : undefined;
      return parsed?.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  private set pending(value: PendingTransfer | undefined) {
    if (value) sessionStorage.setItem(PENDING_KEY, JSON.stringify(value));
    else sessionStorage.removeItem(PENDING_KEY);
  }

  /** Back from a login: 'login' gave a reading token, 'step-up' a transfer token for the pending transfer. */
  async loggedIn(kind: 'login' | 'step-up', accessToken: string): Promise<void> {
    this.token = accessToken;
    if (kind === 'step-up') this.transferToken = accessToken;
    element('app-signed-out').hidden = true;
    element('app-signed-in').hidden = false;
    const pending = this.pending;
    if (kind === 'step-up' && pending) await this.send(pending, { afterStepUp: true });
    else await this.refresh();
  }

  async refresh(): Promise<void> {
    if (!this.token) return;
    const [balances, transfers] = await Promise.all([
      this.client.balances(this.token),
      this.client.recentTransfers(this.token),
    ]);
    this.renderBalances(balances);
    this.renderTransfers(transfers);
  }

  /** The form's submit: validate here (clear messages early), then send with a new Idempotency-Key. */
  async submitForm(): Promise<void> {
    if (!this.token) throw new Error('Log in first.');
    const form = element('transfer-form', HTMLFormElement);
    const data = new FormData(form);
    const amount = parseAmountToCents(String(data.get('amount') ?? ''));
    if (amount === undefined) throw new Error('Amount: enter euros and cents, e.g. 25.00');
    const from = data.get('from') === 'savings' ? 'savings' : 'checking';
    const to = String(data.get('to') ?? '').trim();
    if (!/^[A-Za-z0-9-]{1,34}$/.test(to))
      throw new Error('To: an account name (checking, savings) or an IBAN, letters and digits');
    if (to === from) throw new Error('To: choose a different account than From');
    const reference = String(data.get('reference') ?? '').trim();
    const body: TransferBody = {
      from,
      to,
      amount,
      currency: 'EUR',
      ...(reference ? { reference } : {}),
    };
    await this.send({ body, idempotencyKey: crypto.randomUUID() }, { afterStepUp: false });
  }

  private async send(pending: PendingTransfer, { afterStepUp }: { afterStepUp: boolean }) {
    const token = this.transferToken ?? this.token;
    if (!token) throw new Error('Log in first.');
    const answer = await this.client.transfer(token, pending.body, pending.idempotencyKey);
    if (answer.status === 200) {
      this.transferToken = undefined; // single-use: the next transfer steps up again
      this.pending = undefined;
      const { amount, from, to } = pending.body;
      showNotice(
        `Transferred ${formatCents(amount)} from ${from} to ${to}` +
          `${answer.replayed ? ' (confirmed by the retry)' : ''}.`,
      );
      element('transfer-form', HTMLFormElement).reset();
      await this.refresh();
      return;
    }
    if (needsStepUp(answer) && !afterStepUp) {
      // Keep the transfer and its key across the redirect; the retry after MFA sends exactly this.
      this.pending = pending;
      this.transferToken = undefined;
      showNotice(
        'Moving money needs a fresh multi-factor login: taking you to your bank’s sign-in…',
      );
      await this.options.stepUp();
      return;
    }
    this.pending = undefined;
    showMessage(`Transfer refused: ${describeFailure(answer)}`);
    await this.refresh();
  }

  private renderBalances(balances: AccountBalance[]): void {
    element('balances').replaceChildren(
      ...balances.map((account) => {
        const row = document.createElement('tr');
        row.dataset['account'] = account.id;
        const amount = cell('amount', formatCents(account.balance));
        amount.dataset['cents'] = String(account.balance);
        row.append(cell('account', account.id[0]!.toUpperCase() + account.id.slice(1)), amount);
        return row;
      }),
    );
  }

  private renderTransfers(transfers: TransferEntry[]): void {
    element('transfers-empty').hidden = transfers.length > 0;
    element('recent-transfers', HTMLTableElement).tBodies[0]!.replaceChildren(
      ...transfers.map((transfer) => {
        const row = document.createElement('tr');
        row.dataset['transferId'] = transfer.id;
        row.append(
          cell('when', new Date(transfer.at).toLocaleString('en-GB')),
          cell('route', `${transfer.from} → ${transfer.to}`, transfer.reference),
          cell('amount', formatCents(transfer.amount, transfer.currency)),
          cell('id', transfer.id.slice(0, 11)),
        );
        return row;
      }),
    );
  }
}
