// Test peers for the banking API suites: a real loopback HTTP issuer (JWKS, and optionally /oauth/token and
// /oauth/introspect handlers a test installs) and helpers that sign tokens with jose and start API instances.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { exportJWK, SignJWT, type JWTHeaderParameters } from 'jose';
import {
  bankingApiConfig,
  DEFAULT_AUDIENCE,
  startBankingApi,
  type BankingApi,
  type BankingApiConfig,
  type BankingApiOverrides,
} from '../../banking-api/index.js';

export const AUDIENCE = DEFAULT_AUDIENCE;
export const MFA_CLAIM = `${AUDIENCE}/amr`;

export type RouteHandler = (
  request: IncomingMessage,
  body: string,
  response: ServerResponse,
) => void | Promise<void>;

export interface TestIssuer {
  url: string;
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Times /.well-known/jwks.json was served. */
  jwksFetches: number;
  /** Install a handler for a path (e.g. /oauth/introspect); the test peer answers 404 otherwise. */
  handle(path: string, handler: RouteHandler | undefined): void;
  /** Add or replace the keys published in the JWKS (for rotation tests). */
  publishKeys(keys: Array<{ kid: string; publicKey: KeyObject; use?: string }>): Promise<void>;
  sign(
    claims?: Record<string, unknown>,
    header?: Partial<JWTHeaderParameters>,
    key?: KeyObject,
  ): Promise<string>;
  close(): Promise<void>;
}

export function rsaKeyPair(modulusLength = 2048): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('rsa', { modulusLength });
}

export async function startTestIssuer(): Promise<TestIssuer> {
  const { privateKey, publicKey } = rsaKeyPair();
  const kid = 'test-key-1';
  let jwksBody = '';
  const handlers = new Map<string, RouteHandler>();

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = (request.url ?? '/').split('?')[0]!;
      if (path === '/.well-known/jwks.json') {
        issuer.jwksFetches += 1;
        response.writeHead(200, { 'content-type': 'application/json' }).end(jwksBody);
        return;
      }
      const handler = handlers.get(path);
      if (!handler) {
        response.writeHead(404).end();
        return;
      }
      void Promise.resolve(
        handler(request, Buffer.concat(chunks).toString('utf8'), response),
      ).catch(() => {
        if (!response.headersSent) response.writeHead(500).end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  const issuer: TestIssuer = {
    url,
    kid,
    privateKey,
    publicKey,
    jwksFetches: 0,
    handle(path, handler) {
      if (handler) handlers.set(path, handler);
      else handlers.delete(path);
    },
    async publishKeys(keys) {
      const jwks = await Promise.all(
        keys.map(async (entry) => ({
          ...(await exportJWK(entry.publicKey)),
          kid: entry.kid,
          use: entry.use ?? 'sig',
          alg: 'RS256',
        })),
      );
      jwksBody = JSON.stringify({ keys: jwks });
    },
    async sign(claims = {}, header = {}, key = privateKey) {
      const now = Math.floor(Date.now() / 1000);
      const payload: Record<string, unknown> = {
        iss: url,
        sub: 'auth0|alice',
        aud: AUDIENCE,
        azp: 'spa-client',
        scope: 'view:balance',
        iat: now,
        exp: now + 3600,
        ...claims,
      };
      // `undefined` in the overrides removes a claim (e.g. to test a token without exp).
      for (const [name, value] of Object.entries(payload))
        if (value === undefined) delete payload[name];
      return new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid, ...header })
        .sign(key);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  await issuer.publishKeys([{ kid, publicKey }]);
  return issuer;
}

/** A transfer-capable token: scope, MFA evidence in the namespaced claim, issued now. */
export function transferClaims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { scope: 'view:balance transfer:funds', [MFA_CLAIM]: ['pwd', 'mfa'], ...extra };
}

export async function startApi(
  issuer: TestIssuer,
  config: Partial<BankingApiConfig> = {},
  overrides: BankingApiOverrides = {},
): Promise<BankingApi & { url: string }> {
  return startBankingApi(
    bankingApiConfig({ issuerBaseUrl: issuer.url, port: 0, ...config }),
    overrides,
  );
}

export interface ApiResponse {
  status: number;
  wwwAuthenticate: string | null;
  body: Record<string, unknown>;
  text: string;
}

export async function call(
  baseUrl: string,
  path: string,
  options: {
    token?: string;
    authorization?: string;
    method?: string;
    body?: unknown;
    headers?: Record<string, string>;
  } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(new URL(path, baseUrl), {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Non-JSON bodies are asserted through `text`.
  }
  return {
    status: response.status,
    wwwAuthenticate: response.headers.get('www-authenticate'),
    body,
    text,
  };
}

/** A stream to pass as `logStream`, collecting the JSON log lines the API writes. */
export function logCollector(): {
  stream: Writable;
  lines: string[];
  entries(): Array<Record<string, unknown>>;
} {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return {
    stream,
    lines,
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

export const validTransfer = { from: 'checking', to: 'savings', amount: 1_500 };
