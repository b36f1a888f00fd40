// curl-level checks over HTTPS: Auth0 error shapes for bad input, rate limits (429 + x-ratelimit-*),
// injected faults, the request log and the admin endpoints.
import { describe, expect, it } from 'vitest';
import { startLocalTenant } from '../../local-tenant/index.js';
import { testCaDir, useLocalTenant } from '../helpers/local-tenant.js';

const lt = useLocalTenant();

async function call(
  method: string,
  path: string,
  init: { body?: string; headers?: Record<string, string>; auth?: boolean } = {},
) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.auth !== false) headers.authorization = `Bearer ${await lt.token()}`;
  const response = await fetch(`${lt.tenant.baseUrl}${path}`, {
    method,
    headers,
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON; keep text
  }
  return { status: response.status, headers: response.headers, body };
}

describe('bad input gets Auth0 error shapes, never a 500', () => {
  it('malformed JSON → 400', async () => {
    const result = await call('POST', '/api/v2/resource-servers', {
      body: '{"identifier":',
      headers: { 'content-type': 'application/json' },
    });
    expect(result).toMatchObject({
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message: 'Invalid request payload JSON format',
      },
    });
  });

  it('prototype-poisoning JSON and broken Basic credentials → 400/401, not a crash', async () => {
    const poisoned = await call('POST', '/api/v2/resource-servers', {
      body: '{"identifier":"https://p","__proto__":{"admin":true}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(poisoned).toMatchObject({
      status: 400,
      body: { message: 'Invalid request payload JSON format' },
    });
    const basic = Buffer.from('%zz:%zz').toString('base64');
    const badBasic = await call('POST', '/oauth/token', {
      auth: false,
      body: 'grant_type=client_credentials',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${basic}`,
      },
    });
    expect(badBasic).toMatchObject({ status: 401, body: { error: 'access_denied' } });
  });

  it('wrong content type → 415', async () => {
    const result = await call('POST', '/api/v2/resource-servers', {
      body: '<rs/>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(result).toMatchObject({
      status: 415,
      body: { statusCode: 415, error: 'Unsupported Media Type' },
    });
  });

  it('a body that is not an object → 400 invalid_body', async () => {
    const result = await call('POST', '/api/v2/resource-servers', {
      body: '[1,2]',
      headers: { 'content-type': 'application/json' },
    });
    expect(result).toMatchObject({
      status: 400,
      body: {
        errorCode: 'invalid_body',
        message: "Payload validation error: 'Expected type object but found type array'.",
      },
    });
  });

  it('oversized body → 413', async () => {
    const huge = JSON.stringify({ identifier: 'https://big', name: 'x'.repeat(1024 * 1024 + 10) });
    const result = await call('POST', '/api/v2/resource-servers', {
      body: huge,
      headers: { 'content-type': 'application/json' },
    });
    expect(result).toMatchObject({
      status: 413,
      body: { statusCode: 413, error: 'Payload Too Large' },
    });
  });

  it('unknown path → 404 Not Found; bad query values → 400', async () => {
    expect(await call('GET', '/api/v2/no-such-thing')).toMatchObject({
      status: 404,
      body: { statusCode: 404, error: 'Not Found', message: 'Not Found' },
    });
    const badPage = await call('GET', '/api/v2/clients?per_page=500');
    expect(badPage).toMatchObject({ status: 400, body: { errorCode: 'invalid_query_string' } });
  });

  it('token endpoint: missing grant_type and malformed bodies → OAuth error JSON', async () => {
    expect(
      await call('POST', '/oauth/token', {
        auth: false,
        body: 'client_id=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    ).toMatchObject({
      status: 400,
      body: {
        error: 'invalid_request',
        error_description: 'Missing required parameter: grant_type',
      },
    });
    expect(
      await call('POST', '/oauth/token', {
        auth: false,
        body: '{nope',
        headers: { 'content-type': 'application/json' },
      }),
    ).toMatchObject({
      status: 400,
      body: { error: 'invalid_request' },
    });
  });

  it('still serves after all of the above', async () => {
    expect((await call('GET', '/api/v2/clients')).status).toBe(200);
    expect(lt.tenant.requestLog.entries().some((entry) => entry.status >= 500)).toBe(false);
  });
});

describe('rate limits', () => {
  it('free preset: burst 2 then 429 with x-ratelimit-* headers, refilling at 2/s', async () => {
    const token = await lt.token();
    lt.tenant.rateLimiter.configure('free');
    try {
      const statuses: number[] = [];
      let limited: Response | undefined;
      for (let i = 0; i < 4; i++) {
        const response = await fetch(`${lt.tenant.baseUrl}/api/v2/clients`, {
          headers: { authorization: `Bearer ${token}` },
        });
        statuses.push(response.status);
        if (response.status === 429) limited ??= response;
      }
      expect(statuses.slice(0, 2)).toEqual([200, 200]);
      expect(statuses).toContain(429);
      expect(limited!.headers.get('x-ratelimit-limit')).toBe('2');
      expect(limited!.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(Number(limited!.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(
        Math.floor(Date.now() / 1000),
      );
      expect(await limited!.json()).toEqual({
        statusCode: 429,
        error: 'Too Many Requests',
        message: 'Global limit has been reached',
        errorCode: 'too_many_requests',
      });

      await new Promise((resolve) => setTimeout(resolve, 1100));
      const refilled = await fetch(`${lt.tenant.baseUrl}/api/v2/clients`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(refilled.status).toBe(200);
    } finally {
      lt.tenant.rateLimiter.configure(undefined);
    }
  });

  it('the SDK retries a 429 using x-ratelimit-reset and succeeds', async () => {
    lt.tenant.rateLimiter.configure({ burst: 1, perSecond: 2 });
    try {
      await lt.management.clients.list(); // token + first call may already drain the bucket
      const page = await lt.management.clients.list({}, { maxRetries: 5 });
      expect(page.data.length).toBeGreaterThan(0);
      expect(
        lt.tenant.requestLog.entries('/api/v2/clients').some((entry) => entry.status === 429),
      ).toBe(true);
    } finally {
      lt.tenant.rateLimiter.configure(undefined);
    }
  });
});

describe('faults', () => {
  it('injects a 5xx on a path pattern a limited number of times', async () => {
    const id = lt.tenant.faults.add({
      path: '^/api/v2/resource-servers$',
      methods: ['GET'],
      status: 503,
      times: 1,
    });
    try {
      const first = await call('GET', '/api/v2/resource-servers');
      expect(first).toMatchObject({
        status: 503,
        body: { statusCode: 503, error: 'Service Unavailable' },
      });
      expect((await call('GET', '/api/v2/resource-servers')).status).toBe(200);
    } finally {
      lt.tenant.faults.remove(id);
    }
  });

  it('adds latency and drops connections', async () => {
    const latency = lt.tenant.faults.add({ path: '^/api/v2/connections$', latencyMs: 300 });
    const token = await lt.token();
    const started = performance.now();
    expect(
      (
        await fetch(`${lt.tenant.baseUrl}/api/v2/connections`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).status,
    ).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    lt.tenant.faults.remove(latency);

    const drop = lt.tenant.faults.add({ path: '^/api/v2/users$', drop: true });
    await expect(
      fetch(`${lt.tenant.baseUrl}/api/v2/users`, { headers: { authorization: `Bearer ${token}` } }),
    ).rejects.toThrow();
    lt.tenant.faults.remove(drop);
    expect(
      (
        await fetch(`${lt.tenant.baseUrl}/api/v2/users`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).status,
    ).toBe(200);
  });

  it('is controllable through the admin endpoint (for tenants in another process)', async () => {
    const admin = {
      'x-local-tenant-admin': lt.tenant.bootstrap.clientSecret,
      'content-type': 'application/json',
    };
    const denied = await call('POST', '/__local-tenant/faults', {
      auth: false,
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(denied.status).toBe(401);
    const bad = await call('POST', '/__local-tenant/faults', {
      auth: false,
      body: JSON.stringify({ path: '(' }),
      headers: admin,
    });
    expect(bad.status).toBe(400);
    const added = await call('POST', '/__local-tenant/faults', {
      auth: false,
      body: JSON.stringify({ path: '^/api/v2/guardian/factors$', status: 500 }),
      headers: admin,
    });
    expect(added.status).toBe(201);
    expect((await call('GET', '/api/v2/guardian/factors')).status).toBe(500);
    expect(
      (
        await call('DELETE', '/__local-tenant/faults', {
          auth: false,
          headers: { 'x-local-tenant-admin': lt.tenant.bootstrap.clientSecret },
        })
      ).status,
    ).toBe(204);
    expect((await call('GET', '/api/v2/guardian/factors')).status).toBe(200);
  });
});

describe('faults from LOCAL_TENANT_FAULTS (tenants started in another process)', () => {
  it('applies the JSON rules at start and rejects invalid ones with a clear error', async () => {
    process.env.LOCAL_TENANT_FAULTS = JSON.stringify([
      { path: '^/.well-known/jwks.json$', status: 502 },
    ]);
    try {
      const tenant = await startLocalTenant({ port: 0, persist: false, caDir: testCaDir() });
      try {
        expect((await fetch(`${tenant.baseUrl}/.well-known/jwks.json`)).status).toBe(502);
        expect(tenant.faults.list()).toHaveLength(1);
      } finally {
        await tenant.close();
      }
      process.env.LOCAL_TENANT_FAULTS = '{"path":';
      await expect(
        startLocalTenant({ port: 0, persist: false, caDir: testCaDir() }),
      ).rejects.toThrow(/LOCAL_TENANT_FAULTS must be a JSON array/);
    } finally {
      delete process.env.LOCAL_TENANT_FAULTS;
    }
  });
});

describe('request log', () => {
  it('records method, path, status, duration and client, and summarises reads and writes', async () => {
    lt.tenant.requestLog.clear();
    await lt.management.resourceServers.create({ identifier: 'https://log.example', name: 'Log' });
    await lt.management.resourceServers.list();
    await lt.management.resourceServers.get('https://log.example');
    const entries = lt.tenant.requestLog.entries('/api/v2/');
    expect(entries.map((entry) => `${entry.method} ${entry.status}`)).toEqual([
      'POST 201',
      'GET 200',
      'GET 200',
    ]);
    expect(
      entries.every(
        (entry) => entry.clientId === lt.tenant.bootstrap.clientId && entry.durationMs >= 0,
      ),
    ).toBe(true);
    expect(lt.tenant.requestLog.summary()).toEqual({
      total: 3,
      reads: 2,
      writes: 1,
      byStatus: { 200: 2, 201: 1 },
    });
    await lt.token();
    const tokenCall = lt.tenant.requestLog.entries('/oauth/token')[0];
    expect(tokenCall?.clientId).toBe(lt.tenant.bootstrap.clientId);
  });
});
