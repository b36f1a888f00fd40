// GET /balance, GET /transfers and POST /transfer (transfer-route.ts). Authentication runs in onRequest, before
// any body is read; reads need view:balance.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireScope, SCOPES } from './authorization.js';
import type { Authenticator } from './authenticate.js';
import { invalidRequest } from './errors.js';
import { CURRENCY, KEPT_TRANSFERS_PER_CALLER, type Ledger } from './ledger.js';
import type { ReplayStore } from './replay-store.js';
import { authOf, withLedger } from './route-support.js';
import { registerTransferRoute } from './transfer-route.js';

export interface RoutesOptions {
  authenticator: Authenticator;
  ledger: Ledger;
  replayStore: ReplayStore;
  audience: string;
  clockToleranceSeconds: number;
}

const accountsSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: { id: { type: 'string' }, balance: { type: 'integer' } },
  },
} as const;

/** Shared with the benchmark's floor route so both serialise the same JSON the same way. */
export const balanceResponseSchema = {
  200: {
    type: 'object',
    properties: {
      caller: { type: 'string' },
      callerType: { type: 'string' },
      currency: { type: 'string' },
      accounts: accountsSchema,
    },
  },
} as const;

const TransfersQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(KEPT_TRANSFERS_PER_CALLER).default(20),
});

export function registerRoutes(app: FastifyInstance, options: RoutesOptions): void {
  const { authenticator, ledger } = options;
  app.decorateRequest('auth', null);
  app.decorateRequest('failure', null);

  const authenticate = async (request: FastifyRequest) => {
    request.auth = await authenticator.authenticate(request.raw);
  };

  app.get(
    '/balance',
    { onRequest: authenticate, schema: { response: balanceResponseSchema } },
    async (request) => {
      const { principal } = authOf(request);
      requireScope(principal, SCOPES.viewBalance);
      return {
        caller: principal.callerId,
        callerType: principal.callerType,
        currency: CURRENCY,
        accounts: await withLedger(request, () => ledger.balances(principal.callerId)),
      };
    },
  );

  app.get('/transfers', { onRequest: authenticate }, async (request) => {
    const { principal } = authOf(request);
    requireScope(principal, SCOPES.viewBalance);
    const query = TransfersQuerySchema.safeParse(request.query);
    if (!query.success)
      throw invalidRequest(`limit must be an integer 1-${KEPT_TRANSFERS_PER_CALLER}`);
    const transfers = await withLedger(request, () =>
      ledger.recentTransfers(principal.callerId, query.data.limit),
    );
    return { caller: principal.callerId, currency: CURRENCY, transfers };
  });

  registerTransferRoute(app, { ...options, authenticate });
}
