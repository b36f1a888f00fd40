// The request budget and the resilient fetch on real timing and real Response objects (no network needed).
import { describe, expect, it } from 'vitest';
import { RequestBudget } from '../../deploy/http/budget.js';
import {
  createResilientFetch,
  rateLimitDelayMs,
  RequestFailedError,
} from '../../deploy/http/resilient-fetch.js';

describe('RequestBudget', () => {
  it('allows the burst at once, then spaces requests at the sustained rate', async () => {
    const budget = new RequestBudget({ perSecond: 20, burst: 2 });
    const started = Date.now();
    for (let i = 0; i < 6; i++) await budget.take();
    // 2 immediately, 4 more at 20/s ≥ 200 ms (lower bound only: never a timing upper bound on shared machines).
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
  });
});

describe('rateLimitDelayMs', () => {
  it('reads retry-after seconds, an HTTP date, and x-ratelimit-reset epoch seconds', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(rateLimitDelayMs(new Headers({ 'retry-after': '3' }), now)).toBe(3000);
    expect(
      rateLimitDelayMs(new Headers({ 'retry-after': new Date(now + 5000).toUTCString() }), now),
    ).toBe(5000);
    expect(
      rateLimitDelayMs(new Headers({ 'x-ratelimit-reset': String(now / 1000 + 2) }), now),
    ).toBe(2000);
    expect(rateLimitDelayMs(new Headers(), now)).toBeUndefined();
  });
});

function scripted(responses: (() => Response)[]) {
  const calls: string[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    calls.push(`${init?.method ?? 'GET'} ${String(input)}`);
    const next = responses.shift();
    if (!next) throw new Error('no more scripted responses');
    return next();
  };
  return { calls, fetch };
}

const fast = { budget: new RequestBudget({ perSecond: 1000, burst: 10 }), backoffBaseMs: 1 };

describe('createResilientFetch', () => {
  it('waits out a 429 as the server asks and repeats the request, even a POST', async () => {
    const server = scripted([
      () => new Response('{}', { status: 429, headers: { 'retry-after': '0' } }),
      () => new Response('{"ok":true}', { status: 201 }),
    ]);
    const fetch = createResilientFetch({ ...fast, baseFetch: server.fetch });
    const response = await fetch('https://t.example/api/v2/clients', {
      method: 'POST',
      body: '{}',
    });
    expect(response.status).toBe(201);
    expect(server.calls).toEqual([
      'POST https://t.example/api/v2/clients',
      'POST https://t.example/api/v2/clients',
    ]);
  });

  it('retries 5xx and dropped connections for idempotent methods', async () => {
    const server = scripted([
      () => new Response('', { status: 503 }),
      () => {
        throw new TypeError('fetch failed');
      },
      () => new Response('[]', { status: 200 }),
    ]);
    const fetch = createResilientFetch({ ...fast, baseFetch: server.fetch });
    expect((await fetch('https://t.example/api/v2/clients', { method: 'GET' })).status).toBe(200);
    expect(server.calls).toHaveLength(3);
  });

  it('never repeats a POST after a 5xx or a dropped connection (it may have taken effect)', async () => {
    const failing = scripted([() => new Response('', { status: 502 })]);
    expect(
      (
        await createResilientFetch({ ...fast, baseFetch: failing.fetch })(
          'https://t.example/api/v2/clients',
          { method: 'POST' },
        )
      ).status,
    ).toBe(502);
    const dropped = scripted([
      () => {
        throw new TypeError('fetch failed');
      },
    ]);
    await expect(
      createResilientFetch({ ...fast, baseFetch: dropped.fetch })(
        'https://t.example/api/v2/clients',
        { method: 'POST' },
      ),
    ).rejects.toBeInstanceOf(RequestFailedError);
    expect(dropped.calls).toHaveLength(1);
  });

  it('treats the token request as repeatable', async () => {
    const server = scripted([
      () => {
        throw new TypeError('fetch failed');
      },
      () => new Response('{}', { status: 200 }),
    ]);
    const fetch = createResilientFetch({ ...fast, baseFetch: server.fetch });
    expect((await fetch('https://t.example/oauth/token', { method: 'POST' })).status).toBe(200);
  });
});
