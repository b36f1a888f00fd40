// The banking API as the app uses it: balances, recent transfers, and POST /transfer with an Idempotency-Key.
// Pure helpers (amount parsing, money formatting, "does this answer ask for a step-up?") are exported for tests.

import * as z from 'zod/mini';

// The banking API's answers are checked where they enter the page (zod/mini keeps the bundle small).
const accountBalanceSchema = z.object({ id: z.string(), balance: z.number() });
export type AccountBalance = z.infer<typeof accountBalanceSchema>;

const transferEntrySchema = z.object({
  id: z.string(),
  from: z.string(),
  to: z.string(),
  amount: z.number(),
  currency: z.string(),
  reference: z.optional(z.string()),
  at: z.string(),
});
export type TransferEntry = z.infer<typeof transferEntrySchema>;

export const transferBodySchema = z.object({
  from: z.enum(['checking', 'savings']),
  to: z.string(),
  amount: z.number(),
  currency: z.literal('EUR'),
  reference: z.optional(z.string()),
});
export type TransferBody = z.infer<typeof transferBodySchema>;

export interface ApiAnswer {
  status: number;
  wwwAuthenticate: string | null;
  replayed: boolean;
  body: Record<string, unknown>;
}

/** "12.34" or "12,34" or "1,234.50" (EUR) → integer cents; undefined when it is not a positive amount. */
export function parseAmountToCents(text: string): number | undefined {
  const trimmed = text.trim().replace(/[\s€]/g, '');
  const decimal = /^\d{1,3}(,\d{3})+(\.\d{1,2})?$/.test(trimmed)
    ? trimmed.replace(/,/g, '')
    : trimmed.replace(',', '.');
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(decimal);
  if (!match) return undefined;
  const cents = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return cents > 0 ? cents : undefined;
}

/** Integer cents → "€2,500.00" (the API keeps money in integer minor units; only the page shows decimals). */
export function formatCents(cents: number, currency = 'EUR'): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 100);
}

/**
 * Whether the API refused a transfer because the token is not strong enough yet: 403 insufficient_scope for
 * transfer:funds (an ordinary login), 401 insufficient_user_authentication (RFC 9470: no MFA, or too old), or
 * 401 "transfer token already used" (a step-up token is good for one transfer). The cure is the same: log in
 * again asking for transfer:funds, which makes the tenant ask for MFA.
 */
export function needsStepUp(answer: Pick<ApiAnswer, 'status' | 'body'>): boolean {
  const error = answer.body['error'];
  if (answer.status === 403) return error === 'insufficient_scope';
  if (answer.status !== 401) return false;
  return (
    error === 'insufficient_user_authentication' ||
    (error === 'invalid_token' &&
      answer.body['error_description'] === 'transfer token already used')
  );
}

async function send(
  url: string,
  token: string,
  init: { method?: string; body?: unknown; idempotencyKey?: string } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  // The IETF draft's form: a Structured Field string.
  if (init.idempotencyKey !== undefined) headers['idempotency-key'] = `"${init.idempotencyKey}"`;
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null)
      body = Object.fromEntries(Object.entries(parsed));
  } catch {
    body = { error: 'unexpected_response', error_description: text.slice(0, 200) };
  }
  return {
    status: response.status,
    wwwAuthenticate: response.headers.get('www-authenticate'),
    replayed: response.headers.get('idempotent-replayed') === 'true',
    body,
  };
}

/** A short readable reason from an error answer. */
export function describeFailure(answer: ApiAnswer): string {
  const description = answer.body['error_description'];
  const error = answer.body['error'];
  return `${answer.status} ${String(error ?? '')}${description ? `: ${String(description)}` : ''}`;
}

function parseAnswer<T>(request: string, schema: z.ZodMiniType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`${request}: unexpected answer from the banking API`);
  return parsed.data;
}

export class BankClient {
  constructor(private readonly apiUrl: string) {}

  async balances(token: string): Promise<AccountBalance[]> {
    const answer = await send(`${this.apiUrl}/balance`, token);
    if (answer.status !== 200) throw new Error(`GET /balance: ${describeFailure(answer)}`);
    return parseAnswer('GET /balance', z.array(accountBalanceSchema), answer.body['accounts']);
  }

  async recentTransfers(token: string, limit = 10): Promise<TransferEntry[]> {
    const answer = await send(`${this.apiUrl}/transfers?limit=${limit}`, token);
    if (answer.status !== 200) throw new Error(`GET /transfers: ${describeFailure(answer)}`);
    return parseAnswer('GET /transfers', z.array(transferEntrySchema), answer.body['transfers']);
  }

  transfer(token: string, body: TransferBody, idempotencyKey: string): Promise<ApiAnswer> {
    return send(`${this.apiUrl}/transfer`, token, { method: 'POST', body, idempotencyKey });
  }
}
