// CORS for the banking SPA: only configured origins, preflight for the Authorization header, and the step-up
// challenge header readable by the browser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFromEnv, type BankingApi } from '../../banking-api/index.js';
import { startApi, startTestIssuer, type TestIssuer } from './helpers.js';

const SPA_ORIGIN = 'https://127.0.0.1:4443';
let issuer: TestIssuer;
let api: BankingApi & { url: string };

beforeAll(async () => {
  issuer = await startTestIssuer();
  api = await startApi(issuer, { corsOrigins: [SPA_ORIGIN] });
});
afterAll(async () => {
  await api?.close();
  await issuer?.close();
});

describe('CORS', () => {
  it('parses CORS_ORIGINS and rejects an origin with a path', () => {
    expect(
      loadConfigFromEnv({
        ISSUER_BASE_URL: 'https://t.example/',
        CORS_ORIGINS: `${SPA_ORIGIN}, http://localhost:5173`,
      }).corsOrigins,
    ).toEqual([SPA_ORIGIN, 'http://localhost:5173']);
    expect(() =>
      loadConfigFromEnv({
        ISSUER_BASE_URL: 'https://t.example/',
        CORS_ORIGINS: 'https://spa.example/app',
      }),
    ).toThrow(/CORS_ORIGINS/);
  });

  it('answers the preflight of an allowed origin', async () => {
    const response = await fetch(`${api.url}/transfer`, {
      method: 'OPTIONS',
      headers: {
        origin: SPA_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(SPA_ORIGIN);
    expect(response.headers.get('access-control-allow-headers')).toBe(
      'Authorization, Content-Type, Idempotency-Key',
    );
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('refuses the preflight of another origin', async () => {
    const response = await fetch(`${api.url}/balance`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example' },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('exposes WWW-Authenticate on errors so the SPA can see the step-up challenge', async () => {
    const token = await issuer.sign();
    const response = await fetch(`${api.url}/transfer`, {
      method: 'POST',
      headers: {
        origin: SPA_ORIGIN,
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ from: 'checking', to: 'savings', amount: 1 }),
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBe(SPA_ORIGIN);
    expect(response.headers.get('access-control-expose-headers')).toBe(
      'WWW-Authenticate, Idempotent-Replayed',
    );
    const ok = await fetch(`${api.url}/balance`, {
      headers: { origin: SPA_ORIGIN, authorization: `Bearer ${token}` },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(SPA_ORIGIN);
  });

  it('adds no CORS headers for other origins or when not configured', async () => {
    const token = await issuer.sign();
    const other = await fetch(`${api.url}/balance`, {
      headers: { origin: 'https://evil.example', authorization: `Bearer ${token}` },
    });
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const plain = await startApi(issuer);
    try {
      const response = await fetch(`${plain.url}/balance`, {
        headers: { origin: SPA_ORIGIN, authorization: `Bearer ${token}` },
      });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await plain.close();
    }
  });
});
