// Opaque tokens (RFC 7662 introspection with a private_key_jwt client assertion) and Basic auth
// (password grant first, then the password introspected as an App Specific Password; docs/asp.md).
// The tenant side is a small real HTTP test peer on loopback that checks the client assertion the
// way the local tenant does (docs/auth0-facts.md §7).
import { createPublicKey } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { jwtVerify } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BankingApi } from '../../banking-api/index.js';
import {
  AUDIENCE,
  call,
  rsaKeyPair,
  startApi,
  startTestIssuer,
  transferClaims,
  validTransfer,
  type TestIssuer,
} from './helpers.js';

const resourceServerKeys = rsaKeyPair();
const now = () => Math.floor(Date.now() / 1000);

interface AspRecord {
  active: boolean;
  claims: Record<string, unknown>;
}

let issuer: TestIssuer;
let api: BankingApi & { url: string };
const asps = new Map<string, AspRecord>();
const seenJtis = new Set<string>();
let introspectionCalls = 0;
let tokenCalls = 0;
let rejectAssertions = false;
let tokenEndpointBroken = false;
let peerDelayMs = 0;
/** Most calls the test tenant had open at once (introspection and token endpoint together). */
let peerConcurrent = 0;
let peerMaxConcurrent = 0;
async function peerDelay() {
  peerConcurrent += 1;
  peerMaxConcurrent = Math.max(peerMaxConcurrent, peerConcurrent);
  try {
    if (peerDelayMs) await new Promise((resolve) => setTimeout(resolve, peerDelayMs));
  } finally {
    peerConcurrent -= 1;
  }
}

function json(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

beforeAll(async () => {
  issuer = await startTestIssuer();
  issuer.handle('/oauth/introspect', async (_request, body, response) => {
    introspectionCalls += 1;
    await peerDelay();
    const form = new URLSearchParams(body);
    if (
      rejectAssertions ||
      form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
    ) {
      return json(response, 401, {
        error: 'invalid_client',
        error_description: 'client assertion rejected',
      });
    }
    try {
      const { payload } = await jwtVerify(
        form.get('client_assertion') ?? '',
        createPublicKey(resourceServerKeys.privateKey),
        {
          algorithms: ['RS256'],
          issuer: AUDIENCE,
          subject: AUDIENCE,
          audience: issuer.url,
          maxTokenAge: '5m',
        },
      );
      if (!payload.jti || seenJtis.has(payload.jti) || !payload.exp || payload.exp - now() > 300)
        throw new Error('bad jti/exp');
      seenJtis.add(payload.jti);
    } catch {
      return json(response, 401, {
        error: 'invalid_client',
        error_description: 'client assertion rejected',
      });
    }
    const record = asps.get(form.get('token') ?? '');
    if (!record?.active) return json(response, 200, { active: false });
    return json(response, 200, { active: true, ...record.claims });
  });
  issuer.handle('/oauth/token', async (_request, body, response) => {
    tokenCalls += 1;
    await peerDelay();
    if (tokenEndpointBroken) return json(response, 500, { error: 'server_error' });
    const form = new URLSearchParams(body);
    if (
      form.get('grant_type') !== 'password' ||
      form.get('client_id') !== 'basic-auth-client' ||
      form.get('audience') !== AUDIENCE
    ) {
      return json(response, 403, {
        error: 'unauthorized_client',
        error_description: 'Grant type not allowed',
      });
    }
    if (
      form.get('username') === 'pat@example.com' &&
      form.get('password') === 'correct horse battery'
    ) {
      const accessToken = await issuer.sign({
        sub: 'auth0|pat',
        scope: 'view:balance transfer:funds',
        gty: 'password',
      });
      return json(response, 200, {
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: 3600,
      });
    }
    return json(response, 403, {
      error: 'invalid_grant',
      error_description: 'Wrong email or password.',
    });
  });
  api = await startApi(issuer, {
    resourceServerPrivateKey: resourceServerKeys.privateKey,
    passwordGrantClientId: 'basic-auth-client',
  });
});
afterAll(async () => {
  await api?.close();
  await issuer?.close();
});
beforeEach(() => {
  rejectAssertions = false;
  tokenEndpointBroken = false;
  peerDelayMs = 0;
  peerMaxConcurrent = 0;
});

function addAsp(value: string, claims: Record<string, unknown> = {}, active = true) {
  asps.set(value, {
    active,
    claims: {
      token_type: 'application_specific_password_token',
      scope: 'view:balance',
      sub: 'auth0|asp-owner',
      aud: AUDIENCE,
      iss: issuer.url,
      iat: now(),
      username: 'owner@example.com',
      ...claims,
    },
  });
}
const basic = (username: string, password: string) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

describe('opaque bearer tokens (introspection)', () => {
  it('accepts an active ASP as a bearer token and names its owner', async () => {
    addAsp('aspvalueaaaaaaaa');
    const response = await call(api.url, '/balance', { token: 'aspvalueaaaaaaaa' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ caller: 'auth0|asp-owner', callerType: 'user' });
  });

  it('caches a positive answer briefly instead of introspecting on every request', async () => {
    addAsp('aspvaluebbbbbbbb');
    const before = introspectionCalls;
    for (let index = 0; index < 5; index += 1)
      expect((await call(api.url, '/balance', { token: 'aspvaluebbbbbbbb' })).status).toBe(200);
    expect(introspectionCalls - before).toBe(1);
  });

  it('never caches past the token exp', async () => {
    addAsp('aspvalueshortexp', { exp: now() + 2 });
    expect((await call(api.url, '/balance', { token: 'aspvalueshortexp' })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const before = introspectionCalls;
    const response = await call(api.url, '/balance', { token: 'aspvalueshortexp' });
    expect(introspectionCalls - before).toBe(1);
    expect(response.status).toBe(401);
    expect(response.body.error_description).toMatch(/expired/);
  });

  it('shares one introspection between concurrent requests with the same token', async () => {
    peerDelayMs = 200;
    addAsp('aspvalueconcurr1');
    const before = introspectionCalls;
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => call(api.url, '/balance', { token: 'aspvalueconcurr1' })),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(200));
    expect(introspectionCalls - before).toBe(1);
  });

  it('bounds introspections in flight: a flood of junk opaque tokens gets 401 or 429, never a 5xx', async () => {
    peerDelayMs = 800;
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, index) =>
        call(api.url, '/balance', { token: `junkopaquetoken${index}` }),
      ),
    );
    const statuses = new Set(responses.map((response) => response.status));
    expect([...statuses].every((status) => status === 401 || status === 429)).toBe(true);
    expect(statuses.has(429)).toBe(true);
    expect(peerMaxConcurrent).toBeLessThanOrEqual(64);
    const limited = responses.find((response) => response.status === 429)!;
    expect(limited.body.error).toBe('too_many_requests');
  });

  it('does not cache a negative answer: a token activated later is accepted', async () => {
    expect((await call(api.url, '/balance', { token: 'aspvaluelateraaa' })).status).toBe(401);
    addAsp('aspvaluelateraaa');
    expect((await call(api.url, '/balance', { token: 'aspvaluelateraaa' })).status).toBe(200);
  });

  it('rejects inactive, foreign-audience and foreign-issuer tokens with invalid_token', async () => {
    addAsp('aspvaluerevoked1', {}, false);
    addAsp('aspvalueotheraud', { aud: 'https://other-api' });
    addAsp('aspvalueotheriss', { iss: 'https://evil.example/' });
    for (const token of [
      'aspvaluerevoked1',
      'aspvalueotheraud',
      'aspvalueotheriss',
      'neverissuedvalue',
    ]) {
      const response = await call(api.url, '/balance', { token });
      expect(response.status).toBe(401);
      expect(response.body.error).toBe('invalid_token');
    }
  });

  it('refuses a refresh token presented as a bearer token, even though the tenant says it is active', async () => {
    addAsp('v1.refresh-token-value', {
      token_type: 'refresh_token',
      scope: 'view:balance offline_access',
    });
    const response = await call(api.url, '/balance', { token: 'v1.refresh-token-value' });
    expect(response.status).toBe(401);
    expect(response.body.error_description).toBe('a refresh token is not an access token');
  });

  it('checks scope on introspected tokens', async () => {
    addAsp('aspvaluenoscope1', { scope: 'read:foo' });
    const response = await call(api.url, '/balance', { token: 'aspvaluenoscope1' });
    expect(response.status).toBe(403);
    expect(response.body.scope).toBe('view:balance');
  });

  it('never authorises a transfer with an introspected token, whatever its claims', async () => {
    addAsp('aspvaluetransfer', { scope: 'view:balance transfer:funds', amr: ['mfa'] });
    const response = await call(api.url, '/transfer', {
      token: 'aspvaluetransfer',
      body: validTransfer,
    });
    expect(response.status).toBe(401);
    expect(response.body.error).toBe('insufficient_user_authentication');
  });

  it('sends a fresh client assertion each time, which the tenant verifies with the resource server public key', async () => {
    const jtisBefore = seenJtis.size;
    addAsp('aspvaluefreshjt1');
    addAsp('aspvaluefreshjt2');
    await call(api.url, '/balance', { token: 'aspvaluefreshjt1' });
    await call(api.url, '/balance', { token: 'aspvaluefreshjt2' });
    expect(seenJtis.size - jtisBefore).toBe(2);
  });

  it('answers 503 (not 401 or 500) when the tenant rejects our client assertion', async () => {
    rejectAssertions = true;
    addAsp('aspvaluemisconfg');
    const response = await call(api.url, '/balance', { token: 'aspvaluemisconfg' });
    expect(response.status).toBe(503);
    expect(response.body.error).toBe('temporarily_unavailable');
  });

  it('rejects opaque tokens when no resource server key is configured', async () => {
    const withoutKey = await startApi(issuer);
    try {
      addAsp('aspvaluenokey111');
      const response = await call(withoutKey.url, '/balance', { token: 'aspvaluenokey111' });
      expect(response.status).toBe(401);
      expect(response.body.error_description).toMatch(/introspection is not configured/);
    } finally {
      await withoutKey.close();
    }
  });
});

describe('Basic auth (password grant, then ASP introspection)', () => {
  it('accepts username + password through the password grant without introspecting', async () => {
    const introspectionsBefore = introspectionCalls;
    const response = await call(api.url, '/balance', {
      authorization: basic('pat@example.com', 'correct horse battery'),
    });
    expect(response.status).toBe(200);
    expect(response.body.caller).toBe('auth0|pat');
    expect(introspectionCalls).toBe(introspectionsBefore);
  });

  it('caches a successful Basic login briefly', async () => {
    const authorization = basic('pat@example.com', 'correct horse battery');
    await call(api.url, '/balance', { authorization });
    const before = tokenCalls;
    await call(api.url, '/balance', { authorization });
    expect(tokenCalls).toBe(before);
  });

  it('falls back to introspection: username + ASP is accepted after the password grant fails', async () => {
    addAsp('aspforbasicauth1', { username: 'owner@example.com' });
    const tokensBefore = tokenCalls;
    const introspectionsBefore = introspectionCalls;
    const response = await call(api.url, '/balance', {
      authorization: basic('Owner@Example.com', 'aspforbasicauth1'),
    });
    expect(response.status).toBe(200);
    expect(response.body.caller).toBe('auth0|asp-owner');
    expect(tokenCalls - tokensBefore).toBe(1);
    expect(introspectionCalls - introspectionsBefore).toBe(1);
  });

  it('refuses an ASP presented with another user name', async () => {
    addAsp('aspforbasicauth2', { username: 'owner@example.com' });
    const response = await call(api.url, '/balance', {
      authorization: basic('mallory@example.com', 'aspforbasicauth2'),
    });
    expect(response.status).toBe(401);
    expect(response.wwwAuthenticate).toBe('Basic realm="banking-api", charset="UTF-8"');
    expect(response.body.error).toBe('invalid_credentials');
  });

  it('refuses a wrong password with a Basic challenge', async () => {
    const response = await call(api.url, '/balance', {
      authorization: basic('pat@example.com', 'wrong'),
    });
    expect(response.status).toBe(401);
    expect(response.wwwAuthenticate).toBe('Basic realm="banking-api", charset="UTF-8"');
  });

  it('does not let a password-grant token bypass step-up for a transfer', async () => {
    const response = await call(api.url, '/transfer', {
      authorization: basic('pat@example.com', 'correct horse battery'),
      body: validTransfer,
    });
    expect(response.status).toBe(401);
    expect(response.body.error).toBe('insufficient_user_authentication');
  });

  it('answers 400 for malformed Basic credentials', async () => {
    for (const authorization of [
      'Basic !!!',
      `Basic ${Buffer.from('no-colon').toString('base64')}`,
      `Basic ${Buffer.from(':nouser').toString('base64')}`,
      'Basic',
    ]) {
      const response = await call(api.url, '/balance', { authorization });
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('invalid_request');
    }
  });

  it('answers 503 when the token endpoint fails, rather than falling through', async () => {
    tokenEndpointBroken = true;
    const response = await call(api.url, '/balance', {
      authorization: basic('someone@example.com', 'pw-when-broken'),
    });
    expect(response.status).toBe(503);
  });

  it('bounds Basic logins in flight: a flood of wrong passwords gets 401 or 429, never a 5xx', async () => {
    peerDelayMs = 800;
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, index) =>
        call(api.url, '/balance', { authorization: basic('pat@example.com', `guess-${index}`) }),
      ),
    );
    const statuses = new Set(responses.map((response) => response.status));
    expect([...statuses].every((status) => status === 401 || status === 429)).toBe(true);
    expect(statuses.has(429)).toBe(true);
    expect(peerMaxConcurrent).toBeLessThanOrEqual(64);
  });

  it('goes straight to introspection when no password-grant client is configured', async () => {
    const aspOnly = await startApi(issuer, {
      resourceServerPrivateKey: resourceServerKeys.privateKey,
    });
    try {
      addAsp('aspforbasicauth3', { username: 'owner@example.com' });
      const before = tokenCalls;
      expect(
        (
          await call(aspOnly.url, '/balance', {
            authorization: basic('owner@example.com', 'aspforbasicauth3'),
          })
        ).status,
      ).toBe(200);
      expect(tokenCalls).toBe(before);
    } finally {
      await aspOnly.close();
    }
  });

  it('still requires a locally verified JWT transfer token to be single-use alongside Basic callers', async () => {
    const token = await issuer.sign(transferClaims({ sub: 'auth0|pat' }));
    expect((await call(api.url, '/transfer', { token, body: validTransfer })).status).toBe(200);
    expect((await call(api.url, '/transfer', { token, body: validTransfer })).status).toBe(401);
  });
});
