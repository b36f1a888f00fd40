// POST /transfer. Authentication runs in onRequest (before any body is read); then scope → step-up → body →
// Idempotency-Key (an earlier result is answered here, nothing moves) → funds → claim the single-use token →
// apply atomically in the ledger. A rejected request never burns a token; an accepted one is applied once.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireScope, requireStepUp, SCOPES } from './authorization.js';
import type { Principal } from './principal.js';
import { ApiError, invalidToken, unavailable } from './errors.js';
import { idempotencyClaim, idempotencyKeyOf, REPLAYED_HEADER } from './idempotency.js';
import {
  CURRENCY,
  TransferRequestSchema,
  type IdempotencyClaim,
  type StoredIdempotentResult,
  type TransferRequest,
} from './ledger.js';
import { authOf, withLedger, type RouteDependencies } from './route-support.js';
import { errorMessage } from '../lib/guards.js';

function parseTransfer(body: unknown): TransferRequest {
  const parsed = TransferRequestSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => ({
    field: issue.path.join('.') || '(body)',
    message: issue.message,
  }));
  throw new ApiError(400, 'invalid_body', 'invalid transfer request', undefined, details);
}

/** The answer of the first request with this key, or 422 when the key was used for another transfer. */
function replay(
  reply: FastifyReply,
  principal: Principal,
  claim: IdempotencyClaim,
  stored: StoredIdempotentResult,
) {
  if (stored.fingerprint !== claim.fingerprint)
    throw new ApiError(
      422,
      'idempotency_key_reused',
      'this Idempotency-Key was already used for a different transfer request',
    );
  return reply
    .code(200)
    .header(REPLAYED_HEADER, 'true')
    .send({ caller: principal.callerId, callerType: principal.callerType, ...stored.receipt });
}

export function registerTransferRoute(app: FastifyInstance, deps: RouteDependencies): void {
  const { ledger, replayStore, audience } = deps;

  app.post(
    '/transfer',
    { onRequest: deps.authenticate, bodyLimit: 16_384 },
    async (request: FastifyRequest, reply) => {
      const { principal, bearerToken } = authOf(request);
      requireScope(principal, SCOPES.transferFunds);
      requireStepUp(principal, audience);
      const transfer = parseTransfer(request.body);
      const caller = principal.callerId;
      const key = idempotencyKeyOf(request.headers);
      const claim = key === undefined ? undefined : idempotencyClaim(key, transfer);
      const storedFor = async (found: IdempotencyClaim) =>
        withLedger(request, () => ledger.findIdempotent(caller, found.key));

      // requireStepUp guarantees a locally verified JWT with exp, so bearerToken and expiresAt are set.
      const claimToken = async () => {
        const ttlMs = ((principal.expiresAt ?? 0) + deps.clockToleranceSeconds) * 1000 - Date.now();
        try {
          return await replayStore.claimOnce(bearerToken ?? '', ttlMs);
        } catch (error) {
          request.log.error({ err: errorMessage(error) }, 'replay store unavailable');
          throw unavailable('cannot record the transfer token right now, try again shortly');
        }
      };

      if (claim) {
        const stored = await storedFor(claim);
        if (stored) {
          // A token answered 200 is spent, whether it moved the money or repeated the answer of the attempt that did.
          if (stored.fingerprint === claim.fingerprint) await claimToken();
          return replay(reply, principal, claim, stored);
        }
      }
      const overdrawn = () =>
        new ApiError(
          422,
          'insufficient_funds',
          `the ${transfer.from} account cannot cover ${transfer.amount} ${CURRENCY} cents`,
        );
      // Checked before the token is spent, so a user who mistyped an amount does not have to step up again.
      const balances = await withLedger(request, () => ledger.balances(caller));
      if (
        (balances.find((account) => account.id === transfer.from)?.balance ?? 0) < transfer.amount
      )
        throw overdrawn();

      if (!(await claimToken())) {
        // A retry of the same request with the same token, racing its first attempt: answer as the first did.
        const stored = claim && (await storedFor(claim));
        if (claim && stored) return replay(reply, principal, claim, stored);
        request.log.warn({ caller }, 'transfer token replayed');
        throw invalidToken('transfer token already used');
      }

      const record = { id: `tr_${randomUUID()}`, at: new Date().toISOString() };
      const outcome = await withLedger(request, () =>
        ledger.transfer(caller, transfer, record, claim),
      );
      if (outcome.kind === 'insufficient_funds') throw overdrawn(); // a concurrent transfer got there first
      if (outcome.kind === 'replayed') return replay(reply, principal, claim!, outcome.stored);
      request.log.info(
        { caller, transferId: outcome.receipt.transferId, amount: transfer.amount },
        'transfer applied',
      );
      return reply.code(200).send({ caller, callerType: principal.callerType, ...outcome.receipt });
    },
  );
}
