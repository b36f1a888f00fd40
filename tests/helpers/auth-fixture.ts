// One in-process local tenant per test file, configured through its own Management API (real HTTPS): the
// banking API (with the resource server's verificationKey), a SPA, a trusted confidential app, a user, OTP on.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalTenant, type LocalTenant } from '../../local-tenant/index.js';
import { testCaDir } from './local-tenant.js';
import { totpCode } from '../../local-tenant/authentication/totp.js';
import {
  BrowserAgent,
  httpsCall,
  pkcePair,
  textOf,
  type HttpAnswer,
} from './auth-browser-agent.js';

export const BANKING_API = 'https://my-banking-api';
export const SPA_CALLBACK = 'https://127.0.0.1:4443/callback';
export const USER_PASSWORD = 'Correct-Horse-42';
export const MFA_OTP_GRANT = 'http://auth0.com/oauth/grant-type/mfa-otp';

export interface JsonAnswer {
  status: number;
  json: Record<string, unknown>;
  raw: HttpAnswer;
}

export interface AuthFixture {
  tenant: LocalTenant;
  ca: string;
  origin: string;
  issuer: string;
  spaClientId: string;
  trusted: { clientId: string; clientSecret: string };
  user: { id: string; email: string };
  /** The banking API's private key (its public half is the resource server's verificationKey). */
  resourceServerKey: KeyObject;
  mgmt(method: string, path: string, body?: unknown): Promise<JsonAnswer>;
  token(form: Record<string, string>): Promise<JsonAnswer>;
  post(
    path: string,
    form: Record<string, string>,
    headers?: Record<string, string>,
  ): Promise<JsonAnswer>;
  browser(): BrowserAgent;
  createUser(email: string): Promise<string>;
  /** Stops the tenant and starts it again on the same port from the same state directory. */
  restart(): Promise<void>;
  /** Logs `email` in through the hosted pages with acr_values=multi-factor and enrolls OTP; returns the secret. */
  enrollOtp(email: string): Promise<string>;
  /** Creates, builds and deploys a post-login Action through the Management API; returns its id. */
  deployAction(name: string, code: string, secrets?: Record<string, string>): Promise<string>;
  /** Replaces the post-login trigger bindings (execution order = array order). */
  bindPostLogin(actionIds: string[]): Promise<void>;
  close(): Promise<void>;
}

function parseJson(answer: HttpAnswer): JsonAnswer {
  let json: Record<string, unknown> = {};
  try {
    json = answer.body ? (JSON.parse(answer.body) as Record<string, unknown>) : {};
  } catch {
    json = { nonJsonBody: answer.body };
  }
  return { status: answer.status, json, raw: answer };
}

/** `persist`: keep state in a temporary directory so `restart()` (same port) can prove what survives a restart. */
export async function startAuthFixture(options: { persist?: boolean } = {}): Promise<AuthFixture> {
  const stateDir = mkdtempSync(join(tmpdir(), 'lt-auth-'));
  const start = (port: number) =>
    startLocalTenant({
      port,
      persist: options.persist ?? false,
      stateDir,
      caDir: testCaDir(),
      actionBuildTimings: { pendingMs: 10, buildingMs: 10 },
    });
  let tenant = await start(0);
  const ca = tenant.caCertPem;
  const origin = tenant.baseUrl;

  const post = async (
    path: string,
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ) =>
    parseJson(
      await httpsCall(ca, 'POST', `${origin}${path}`, {
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(form).toString(),
      }),
    );
  const token = (form: Record<string, string>) => post('/oauth/token', form);
  const managementToken = await token({
    grant_type: 'client_credentials',
    client_id: tenant.bootstrap.clientId,
    client_secret: tenant.bootstrap.clientSecret,
    audience: `${origin}/api/v2/`,
  });
  const bearer = String(managementToken.json.access_token);
  const mgmt = async (method: string, path: string, body?: unknown) => {
    const answer = parseJson(
      await httpsCall(ca, method, `${origin}/api/v2${path}`, {
        headers: {
          authorization: `Bearer ${bearer}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      }),
    );
    if (answer.status >= 400)
      throw new Error(`${method} ${path} → ${answer.status} ${answer.raw.body}`);
    return answer;
  };

  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  await mgmt('POST', '/resource-servers', {
    identifier: BANKING_API,
    name: 'Banking API',
    signing_alg: 'RS256',
    allow_offline_access: true,
    token_lifetime: 600,
    scopes: [
      { value: 'view:balance', description: 'Read the balance' },
      { value: 'transfer:funds', description: 'Move money' },
    ],
    verificationKey: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  });
  const spa = await mgmt('POST', '/clients', {
    name: 'Banking SPA',
    app_type: 'spa',
    callbacks: [SPA_CALLBACK],
    web_origins: [new URL(SPA_CALLBACK).origin],
    grant_types: ['authorization_code', 'implicit', 'refresh_token'],
  });
  const trusted = await mgmt('POST', '/clients', {
    name: 'Trusted CLI',
    app_type: 'regular_web',
    callbacks: [SPA_CALLBACK],
    grant_types: [
      'authorization_code',
      'password',
      'http://auth0.com/oauth/grant-type/password-realm',
      MFA_OTP_GRANT,
      'refresh_token',
    ],
  });
  const connections = await mgmt('GET', '/connections?strategy=auth0');
  const database =
    (connections.json as unknown as { id: string }[])[0] ??
    (connections.json.connections as { id: string }[])[0]!;
  await mgmt('PATCH', `/connections/${database.id}/clients`, [
    { client_id: String(spa.json.client_id), status: true },
    { client_id: String(trusted.json.client_id), status: true },
  ]);
  await mgmt('PUT', '/guardian/factors/otp', { enabled: true });
  const createUser = async (email: string) => {
    const created = await mgmt('POST', '/users', {
      connection: 'Username-Password-Authentication',
      email,
      password: USER_PASSWORD,
      email_verified: true,
    });
    return String(created.json.user_id);
  };
  const email = 'ann@example.com';
  const userId = await createUser(email);

  const enrollOtp = async (login: string) => {
    const agent = new BrowserAgent(ca, origin);
    const { challenge } = pkcePair();
    const query = new URLSearchParams({
      client_id: String(spa.json.client_id),
      redirect_uri: SPA_CALLBACK,
      response_type: 'code',
      scope: 'openid',
      nonce: 'enroll',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      acr_values: 'http://schemas.openid.net/pape/policies/2007/06/multi-factor',
    });
    const { page } = await agent.navigate('GET', `${origin}/authorize?${query}`);
    const enrollment = await agent.submit(page!, { username: login, password: USER_PASSWORD });
    const secret = textOf(enrollment.page?.body ?? '', 'otp-secret');
    if (!secret)
      throw new Error(
        `enrollOtp(${login}): no enrollment page (${enrollment.page?.url ?? enrollment.callback?.toString()})`,
      );
    const done = await agent.submit(enrollment.page!, { code: totpCode(secret) });
    if (!done.callback?.searchParams.get('code'))
      throw new Error(`enrollOtp(${login}): enrollment did not complete`);
    return secret;
  };

  const deployAction = async (name: string, code: string, secrets: Record<string, string> = {}) => {
    const created = await mgmt('POST', '/actions/actions', {
      name,
      code,
      runtime: 'node22',
      supported_triggers: [{ id: 'post-login', version: 'v3' }],
      secrets: Object.entries(secrets).map(([secretName, value]) => ({ name: secretName, value })),
    });
    const id = String(created.json.id);
    for (let attempt = 0; attempt < 100; attempt += 1) {
      if ((await mgmt('GET', `/actions/actions/${id}`)).json.status === 'built') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await mgmt('POST', `/actions/actions/${id}/deploy`);
    return id;
  };

  const bindPostLogin = async (actionIds: string[]) => {
    await mgmt('PATCH', '/actions/triggers/post-login/bindings', {
      bindings: actionIds.map((id, index) => ({
        ref: { type: 'action_id', value: id },
        display_name: `binding-${index}`,
      })),
    });
  };

  return {
    enrollOtp,
    deployAction,
    bindPostLogin,
    get tenant() {
      return tenant;
    },
    async restart() {
      const port = tenant.port;
      await tenant.close();
      tenant = await start(port);
    },
    ca,
    origin,
    issuer: `${origin}/`,
    spaClientId: String(spa.json.client_id),
    trusted: {
      clientId: String(trusted.json.client_id),
      clientSecret: String(trusted.json.client_secret),
    },
    user: { id: userId, email },
    resourceServerKey: privateKey,
    mgmt,
    token,
    post,
    createUser,
    browser: () => new BrowserAgent(ca, origin),
    async close() {
      await tenant.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
