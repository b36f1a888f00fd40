// One in-process local tenant per test file, set up the way a user would: `npm run keys` makes the resource
// server's key pair (in a temp dir), the real tenant/tenant.yaml is deployed to the tenant (publishing the public
// key as the API's verificationKey and granting the "Banking API Resource Server" client the ASP scopes), and the
// commands then run as that client — so the grant in tenant.yaml is what makes them work.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createKeys } from '../../deploy/keys.js';
import { applyPrepared, prepare } from '../../deploy/run.js';
import { localTenantTarget } from '../../deploy/target/target.js';
import type { CommandEnvironment, Output } from '../../tenant-tools/cli.js';
import { useLocalTenant, type LocalTenantFixture } from '../helpers/local-tenant.js';

export const BANKING_API = 'https://my-banking-api';
export const DEMO_USER = {
  email: 'demo@example.com',
  password: 'Demo-Passw0rd!local',
  connection: 'Banking-Users',
};
const RESOURCE_SERVER_CLIENT = 'Banking API Resource Server';

export interface AspFixture extends LocalTenantFixture {
  /** What the commands get as environment: AUTH0_* of the resource server's client, its key file, the CA. */
  readonly variables: NodeJS.ProcessEnv;
  readonly environment: CommandEnvironment;
  readonly keysDir: string;
  readonly privateKeyPath: string;
  readonly demoUserId: string;
  /** A first-party client allowed the password and refresh_token grants (the banking API's Basic-auth client). */
  readonly passwordClient: { clientId: string; clientSecret: string };
  /** The demo user's tokens for the banking API (password grant with offline_access). */
  login(scope?: string): Promise<{ accessToken: string; refreshToken: string }>;
  /** A partner's client-credentials access token for the banking API. */
  partnerToken(): Promise<string>;
}

async function tokenRequest(
  baseUrl: string,
  form: Record<string, string>,
): Promise<Record<string, string>> {
  const response = await fetch(`${baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  const body = (await response.json()) as Record<string, string>;
  if (!response.ok)
    throw new Error(`token request failed: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

export function useDeployedTenant(): AspFixture {
  const local = useLocalTenant();
  const keysDir = mkdtempSync(join(tmpdir(), 'asp-keys-'));
  let variables: NodeJS.ProcessEnv | undefined;
  let demoUserId = '';
  let passwordClient = { clientId: '', clientSecret: '' };
  let partner = { clientId: '', clientSecret: '' };

  beforeAll(async () => {
    const { tenant } = local;
    createKeys(keysDir);
    const prepared = await prepare({
      env: 'local',
      keysDir,
      variables: {},
      target: localTenantTarget(tenant),
      budget: { perSecond: 1000, burst: 1000 },
    });
    try {
      const outcome = await applyPrepared(prepared, {});
      if (!outcome.result.verified)
        throw new Error(
          `deploying tenant.yaml left differences: ${JSON.stringify(outcome.result.remaining)}`,
        );
    } finally {
      await prepared.close();
    }
    const clients = await local.management.clients.list({
      fields: 'client_id,client_secret,name',
      include_fields: true,
    });
    const byName = (name: string) => {
      const found = clients.data.find((candidate) => candidate.name === name);
      if (!found?.client_id || !found.client_secret)
        throw new Error(`tenant.yaml did not create the client "${name}"`);
      return { clientId: found.client_id, clientSecret: found.client_secret };
    };
    const client = byName(RESOURCE_SERVER_CLIENT);
    partner = byName('Banking Partner');

    // Not in tenant.yaml (the SPA logs in interactively): a password-grant client, as Basic auth needs one.
    const created = await local.management.clients.create({
      name: 'ASP tests: password login',
      app_type: 'regular_web',
      grant_types: ['password', 'refresh_token'],
      token_endpoint_auth_method: 'client_secret_post',
    });
    passwordClient = { clientId: created.client_id!, clientSecret: created.client_secret! };
    const connections = await local.management.connections.list({ name: DEMO_USER.connection });
    const connection = connections.data[0];
    if (!connection?.id)
      throw new Error(`tenant.yaml did not create the connection ${DEMO_USER.connection}`);
    await local.management.connections.clients.update(connection.id, [
      { client_id: passwordClient.clientId, status: true },
    ]);
    await local.management.tenants.settings.update({ default_directory: DEMO_USER.connection });
    const users = await local.management.users.listUsersByEmail({ email: DEMO_USER.email });
    demoUserId = users[0]?.user_id ?? '';
    if (!demoUserId) throw new Error('tenant.yaml (env local) did not create the demo user');
    variables = {
      AUTH0_DOMAIN: tenant.domain,
      AUTH0_CLIENT_ID: client.clientId,
      AUTH0_CLIENT_SECRET: client.clientSecret,
      NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS,
      RESOURCE_SERVER_PRIVATE_KEY_PATH: join(keysDir, 'resource-server.private.pem'),
      AUDIENCE: BANKING_API,
    };
  });

  afterAll(() => rmSync(keysDir, { recursive: true, force: true }));

  const ready = (): NodeJS.ProcessEnv => {
    if (!variables) throw new Error('tenant not deployed yet (use inside tests or hooks)');
    return variables;
  };
  return {
    get tenant() {
      return local.tenant;
    },
    get management() {
      return local.management;
    },
    token: (scope?: string) => local.token(scope),
    get variables() {
      return ready();
    },
    get environment(): CommandEnvironment {
      return { variables: ready(), budget: { perSecond: 1000, burst: 1000 } };
    },
    keysDir,
    privateKeyPath: join(keysDir, 'resource-server.private.pem'),
    get demoUserId() {
      return demoUserId;
    },
    get passwordClient() {
      return passwordClient;
    },
    async login(scope = 'openid offline_access view:balance') {
      const body = await tokenRequest(local.tenant.baseUrl, {
        grant_type: 'password',
        username: DEMO_USER.email,
        password: DEMO_USER.password,
        audience: BANKING_API,
        scope,
        client_id: passwordClient.clientId,
        client_secret: passwordClient.clientSecret,
      });
      if (!body.access_token || !body.refresh_token)
        throw new Error('password grant returned no access or refresh token');
      return { accessToken: body.access_token, refreshToken: body.refresh_token };
    },
    async partnerToken() {
      const body = await tokenRequest(local.tenant.baseUrl, {
        grant_type: 'client_credentials',
        audience: BANKING_API,
        client_id: partner.clientId,
        client_secret: partner.clientSecret,
      });
      if (!body.access_token) throw new Error('client credentials grant returned no access token');
      return body.access_token;
    },
  };
}

/** Collects a command's stdout/stderr. */
export function captureOutput(): Output & { out: string; err: string } {
  const captured = {
    out: '',
    err: '',
    stdout(text: string) {
      captured.out += text;
    },
    stderr(text: string) {
      captured.err += text;
    },
  };
  return captured;
}
