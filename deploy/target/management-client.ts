// One ManagementClient per deploy, with every request (including the token request) going through the
// resilient fetch: one request budget, 429 waits, safe retries. The SDK's own retries are off so nothing is retried twice.
import { ManagementClient } from 'auth0';
import { rootCertificates } from 'node:tls';
import { Agent } from 'undici';
import { fetchThrough } from '../../lib/undici-fetch.js';
import { RequestBudget, freeTenantBudget, type BudgetOptions } from '../http/budget.js';
import { createResilientFetch, type FetchFn, type RequestEvent } from '../http/resilient-fetch.js';
import type { Target } from './target.js';

export interface RequestStats {
  /** Management API GETs. */
  reads: number;
  /** Management API POST/PUT/PATCH/DELETE. */
  writes: number;
  /** Token requests (Authentication API). */
  tokens: number;
  retries: number;
  /** Every Management API write attempted (method + path), to recognise this run's own entries in the tenant logs. */
  writeRequests: { method: string; path: string }[];
}

export interface ConnectedTenant {
  mgmt: ManagementClient;
  target: Target;
  stats: RequestStats;
  close(): Promise<void>;
}

export interface ConnectOptions {
  budget?: BudgetOptions;
  onRetry?: (message: string) => void;
  backoffBaseMs?: number;
}

/** Connecting (TCP + TLS handshake) to an Auth0 tenant takes well under a second; 4 s means unreachable. */
export const connectTimeoutMs = 4000;

export function connect(target: Target, options: ConnectOptions = {}): ConnectedTenant {
  const stats: RequestStats = { reads: 0, writes: 0, tokens: 0, retries: 0, writeRequests: [] };
  // A tenant that does not accept a connection within seconds is unreachable: fail clearly instead of waiting out
  // the default connect timeout on every retry. The extra CA is trusted in addition to the system store.
  const agent = new Agent({
    connect: {
      timeout: connectTimeoutMs,
      ...(target.caCertPem ? { ca: [...rootCertificates, target.caCertPem] } : {}),
    },
  });
  const baseFetch: FetchFn = fetchThrough(agent);
  const count = (event: RequestEvent): void => {
    if (event.attempt > 1) stats.retries++;
    const path = new URL(event.url).pathname;
    if (!path.startsWith('/api/v2/')) stats.tokens++;
    else if (event.method === 'GET' || event.method === 'HEAD') stats.reads++;
    else {
      stats.writes++;
      stats.writeRequests.push({ method: event.method, path });
    }
  };
  const fetch = createResilientFetch({
    budget: new RequestBudget(options.budget ?? freeTenantBudget),
    baseFetch,
    onResponse: count,
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    ...(options.backoffBaseMs !== undefined ? { backoffBaseMs: options.backoffBaseMs } : {}),
  });
  const common = {
    domain: target.domain,
    fetch,
    maxRetries: 0,
    // Waiting out 429s happens inside one fetch call; the SDK's 60 s timeout must not cut it short.
    timeoutInSeconds: 900,
    telemetry: false,
  };
  const mgmt = target.clientSecret
    ? new ManagementClient({
        ...common,
        clientId: target.clientId,
        clientSecret: target.clientSecret,
      })
    : new ManagementClient({
        ...common,
        clientId: target.clientId,
        clientAssertionSigningKey: target.clientAssertionSigningKey ?? '',
      });
  return { mgmt, target, stats, close: async () => agent.close() };
}
