// The fetch every deploy request goes through: request budget, 429 handling from the server's own headers, and
// retries of transient failures (5xx, dropped connections) — but only where repeating the request is safe.
import type { RequestBudget } from './budget.js';
import { sleep } from './budget.js';
import {
  classifyNetworkError,
  describeNetworkFailure,
  type NetworkFailure,
} from './network-errors.js';

export type FetchFn = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface RequestEvent {
  method: string;
  url: string;
  status: number | 'network-error';
  attempt: number;
}

export interface ResilientFetchOptions {
  budget: RequestBudget;
  baseFetch?: FetchFn;
  /** Transient failures retried per request before giving up (429 is waited out separately). */
  maxTransientRetries?: number;
  /** Upper bound on time spent waiting for 429s within one request; beyond this the deploy stops with a clear error. */
  maxRateLimitWaitMs?: number;
  /** Base of the exponential backoff for transient failures. */
  backoffBaseMs?: number;
  onRetry?: (message: string) => void;
  onResponse?: (event: RequestEvent) => void;
}

const idempotentMethods = new Set(['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** POST /oauth/token only mints a token: repeating it is harmless. Every other POST creates something. */
function isSafeToRepeat(method: string, url: string): boolean {
  return (
    idempotentMethods.has(method) || (method === 'POST' && new URL(url).pathname === '/oauth/token')
  );
}

/** Delay the server asked for: `retry-after` (seconds or HTTP date), else `x-ratelimit-reset` (epoch seconds). */
export function rateLimitDelayMs(headers: Headers, now = Date.now()): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (reset > 0) return Math.max(0, reset * 1000 - now);
  return undefined;
}

export class RequestFailedError extends Error {
  constructor(
    message: string,
    readonly method: string,
    readonly url: string,
    options?: { cause?: unknown; failure?: NetworkFailure },
  ) {
    super(message, options);
    this.name = 'RequestFailedError';
    this.failure = options?.failure;
  }

  /** Why the connection failed, when it did (absent for other failures). */
  readonly failure: NetworkFailure | undefined;
}

export function createResilientFetch(options: ResilientFetchOptions): FetchFn {
  const baseFetch = options.baseFetch ?? globalThis.fetch;
  const maxTransient = options.maxTransientRetries ?? 5;
  const maxRateLimitWait = options.maxRateLimitWaitMs ?? 10 * 60_000;
  const backoffBase = options.backoffBaseMs ?? 250;

  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (
      init?.method ?? (input instanceof Request ? input.method : 'GET')
    ).toUpperCase();
    const repeatable = isSafeToRepeat(method, url);
    let transientFailures = 0;
    let rateLimitWaited = 0;
    for (let attempt = 1; ; attempt++) {
      await options.budget.take();
      let response: Response;
      try {
        response = await baseFetch(input, init);
      } catch (error) {
        options.onResponse?.({ method, url, status: 'network-error', attempt });
        const failure = classifyNetworkError(error);
        // DNS and certificate failures repeat identically: retrying only delays the clear message.
        if (!failure.retryable || !repeatable || ++transientFailures > maxTransient) {
          throw new RequestFailedError(
            `${method} ${url}: ${describeNetworkFailure(failure, new URL(url).host)}`,
            method,
            url,
            { cause: error, failure },
          );
        }
        const delay = backoff(backoffBase, transientFailures);
        options.onRetry?.(
          `${method} ${new URL(url).pathname}: network error (${failure.code}), retry ${transientFailures}/${maxTransient} in ${delay} ms`,
        );
        await sleep(delay);
        continue;
      }
      options.onResponse?.({ method, url, status: response.status, attempt });
      if (response.status === 429) {
        // A 429 means the request was not processed, so even a POST may be repeated.
        const delay = rateLimitDelayMs(response.headers) ?? backoff(1000, attempt);
        rateLimitWaited += delay;
        if (rateLimitWaited > maxRateLimitWait) return response;
        await response.body?.cancel();
        options.budget.pauseUntil(Date.now() + delay);
        options.onRetry?.(
          `${method} ${new URL(url).pathname}: rate limited (429), waiting ${delay} ms as the tenant asked`,
        );
        continue;
      }
      if (
        (response.status >= 500 || response.status === 408) &&
        repeatable &&
        ++transientFailures <= maxTransient
      ) {
        await response.body?.cancel();
        const delay = backoff(backoffBase, transientFailures);
        options.onRetry?.(
          `${method} ${new URL(url).pathname}: HTTP ${response.status}, retry ${transientFailures}/${maxTransient} in ${delay} ms`,
        );
        await sleep(delay);
        continue;
      }
      return response;
    }
  };
}

function backoff(baseMs: number, failures: number): number {
  const exponential = Math.min(30_000, baseMs * 2 ** (failures - 1));
  return Math.round(exponential * (0.8 + Math.random() * 0.4));
}
