// CORS for the banking SPA: listed origins get the headers (and can read WWW-Authenticate), others get none;
// preflights answer only for listed origins. Real HTTP against a real API instance and a loopback issuer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bankingApiConfig, createBankingApi, type BankingApi } from '../../banking-api/index.js';
import { parseCorsOrigins, registerCors } from '../../banking-api/cors.js';
import { startTestIssuer, type TestIssuer } from './helpers.js';

const SPA_ORIGIN = 'http://127.0.0.1:3000';
let issuer: TestIssuer;
let api: BankingApi;
let baseUrl: string;

beforeAll(async () => {
  issuer = await startTestIssuer();
  api = createBankingApi(bankingApiConfig({ issuerBaseUrl: issuer.url, port: 0 }));
  registerCors(api.app, [SPA_ORIGIN]);
  baseUrl = await api.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await api?.close();
  await issuer?.close();
});

describe('banking API CORS', () => {
  it('answers a preflight from the SPA origin with the allowed method and headers', async () => {
    const response = await fetch(`${baseUrl}/transfer`, {
      method: 'OPTIONS',
      headers: { origin: SPA_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(SPA_ORIGIN);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(response.headers.get('access-control-allow-headers')).toBe('Authorization, Content-Type');
  });

  it('refuses a preflight from another origin', async () => {
    const response = await fetch(`${baseUrl}/transfer`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('exposes WWW-Authenticate on an error answer to the SPA origin, and nothing to other origins', async () => {
    const token = await issuer.sign({ scope: 'view:balance' });
    const fromSpa = await fetch(`${baseUrl}/transfer`, {
      method: 'POST',
      headers: { origin: SPA_ORIGIN, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(fromSpa.status).toBe(403);
    expect(fromSpa.headers.get('access-control-allow-origin')).toBe(SPA_ORIGIN);
    expect(fromSpa.headers.get('access-control-expose-headers')).toBe('WWW-Authenticate');
    expect(fromSpa.headers.get('www-authenticate')).toContain('insufficient_scope');

    const fromElsewhere = await fetch(`${baseUrl}/balance`, { headers: { origin: 'https://evil.example', authorization: `Bearer ${token}` } });
    expect(fromElsewhere.status).toBe(200);
    expect(fromElsewhere.headers.get('access-control-allow-origin')).toBeNull();
    expect(fromElsewhere.headers.get('vary')).toContain('Origin');
  });

  it('parses CORS_ORIGINS strictly', () => {
    expect(parseCorsOrigins(undefined)).toEqual([]);
    expect(parseCorsOrigins(' http://127.0.0.1:3000 , https://bank.example')).toEqual(['http://127.0.0.1:3000', 'https://bank.example']);
    expect(() => parseCorsOrigins('http://127.0.0.1:3000/')).toThrow(/did you mean http:\/\/127\.0\.0\.1:3000/);
    expect(() => parseCorsOrigins('127.0.0.1:3000x')).toThrow(/CORS_ORIGINS/);
  });
});
