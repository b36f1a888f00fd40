// What the route modules share: their dependencies, the authenticated caller, and ledger calls that answer 503
// (never 500) when the ledger's store is unreachable.
import type { FastifyRequest } from 'fastify';
import type { Authenticated, Authenticator } from './authenticate.js';
import { unavailable } from './errors.js';
import type { Ledger } from './ledger.js';
import type { ReplayStore } from './replay-store.js';
import { errorMessage } from '../lib/guards.js';

declare module 'fastify' {
  interface FastifyRequest {
    auth: Authenticated | null;
    /** Why the request was refused (error code and description, never the credential), for the access log. */
    failure: string | null;
  }
}

export interface RouteDependencies {
  authenticator: Authenticator;
  /** onRequest hook that sets request.auth (registered by registerRoutes). */
  authenticate: (request: FastifyRequest) => Promise<void>;
  ledger: Ledger;
  replayStore: ReplayStore;
  audience: string;
  clockToleranceSeconds: number;
}

export function authOf(request: FastifyRequest): Authenticated {
  if (!request.auth) throw new Error('route reached without authentication');
  return request.auth;
}

export async function withLedger<T>(
  request: FastifyRequest,
  operation: () => Promise<T>,
): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    request.log.error({ err: errorMessage(error) }, 'ledger unavailable');
    throw unavailable('the ledger is unavailable right now, try again shortly');
  }
}
