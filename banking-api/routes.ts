// GET /balance and POST /transfer. Authentication runs in onRequest (before any body is read); scope and
// step-up checks, body validation, the single-use claim and the ledger update run in that order, so a
// rejected request never burns a token and an accepted one is applied exactly once.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireScope, requireStepUp, SCOPES } from './authorization.js';
import type { Authenticated, Authenticator } from './authenticate.js';
import { ApiError, invalidToken, unavailable } from './errors.js';
import { CURRENCY, InsufficientFundsError, TransferRequestSchema, type Ledger } from './ledger.js';
import type { ReplayStore } from './replay-store.js';

declare module 'fastify' {
  interface FastifyRequest {
    auth: Authenticated | null;
    /** Why the request was refused (error code and description, never the credential), for the access log. */
    failure: string | null;
  }
}

export interface RouteDependencies {
  authenticator: Authenticator;
  ledger: Ledger;
  replayStore: ReplayStore;
  audience: string;
  clockToleranceSeconds: number;
}

/** Shared with the benchmark's floor route so both serialise the same JSON the same way. */
export const balanceResponseSchema = {
  200: {
    type: 'object',
    properties: {
      caller: { type: 'string' },
      callerType: { type: 'string' },
      currency: { type: 'string' },
      accounts: {
        type: 'array',
        items: {
          type: 'object',
          properties: { id: { type: 'string' }, balance: { type: 'integer' } },
        },
      },
    },
  },
} as const;

function authOf(request: FastifyRequest): Authenticated {
  if (!request.auth) throw new Error('route reached without authentication');
  return request.auth;
}

export function registerRoutes(app: FastifyInstance, deps: RouteDependencies): void {
  const { authenticator, ledger, replayStore, audience } = deps;
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
        accounts: ledger.balances(principal.callerId),
      };
    },
  );

  app.post('/transfer', { onRequest: authenticate, bodyLimit: 16_384 }, async (request, reply) => {
    const { principal, bearerToken } = authOf(request);
    requireScope(principal, SCOPES.transferFunds);
    requireStepUp(principal, audience);

    const parsed = TransferRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      const details = parsed.error.issues.map((issue) => ({
        field: issue.path.join('.') || '(body)',
        message: issue.message,
      }));
      throw new ApiError(400, 'invalid_body', 'invalid transfer request', undefined, details);
    }
    const transfer = parsed.data;
    const overdrawn = () =>
      new ApiError(
        422,
        'insufficient_funds',
        `the ${transfer.from} account cannot cover ${transfer.amount} ${CURRENCY} cents`,
      );
    // Checked before the token is spent, so a user who mistyped an amount does not have to step up again.
    if (!ledger.canAfford(principal.callerId, transfer)) throw overdrawn();

    // requireStepUp guarantees a locally verified JWT with exp, so bearerToken and expiresAt are set.
    const ttlMs = ((principal.expiresAt ?? 0) + deps.clockToleranceSeconds) * 1000 - Date.now();
    let firstUse: boolean;
    try {
      firstUse = await replayStore.claimOnce(bearerToken ?? '', ttlMs);
    } catch (error) {
      request.log.error({ err: (error as Error).message }, 'replay store unavailable');
      throw unavailable('cannot record the transfer token right now, try again shortly');
    }
    if (!firstUse) {
      request.log.warn({ caller: principal.callerId }, 'transfer token replayed');
      throw invalidToken('transfer token already used');
    }
    try {
      const receipt = ledger.transfer(principal.callerId, transfer);
      request.log.info(
        { caller: principal.callerId, transferId: receipt.transferId, amount: transfer.amount },
        'transfer applied',
      );
      return reply
        .code(200)
        .send({ caller: principal.callerId, callerType: principal.callerType, ...receipt });
    } catch (error) {
      if (error instanceof InsufficientFundsError) throw overdrawn();
      throw error;
    }
  });
}
