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
import type { CommandEnvironment, Output } from '../../lib/tenant-tools/cli.js';
import { useLocalTenant, type LocalTenantFixture } from '../helpers/local-tenant.js';

export const BANKING_API = 'https://my-banking-api';
export const DEMO_USER = { email: 'demo@example.com', password: 'Demo-Passw0rd!local', connection: 'Banking-Users' };
const RESOURCE_SERVER_CLIENT = 'Banking API Resource Server';

export interface AspFixture extends LocalTenantFixture {
  /** What the commands get as environment: AUTH0_* of the resource server's client, its key file, the CA. */
  readonly variables: NodeJS.ProcessEnv;
  readonly environment: CommandEnvironment;
  readonly keysDir: string;
  readonly privateKeyPath: string;
  readonly demoUserId: string;
}

export function useDeployedTenant(): AspFixture {
  const local = useLocalTenant();
  const keysDir = mkdtempSync(join(tmpdir(), 'asp-keys-'));
  let variables: NodeJS.ProcessEnv | undefined;
  let demoUserId = '';

  beforeAll(async () => {
    const { tenant } = local;
    createKeys(keysDir);
    const prepared = await prepare({
      env: 'local',
      keysDir,
      variables: {},
      target: {
        domain: tenant.domain,
        env: 'local',
        clientId: tenant.bootstrap.clientId,
        clientSecret: tenant.bootstrap.clientSecret,
        caCertPem: tenant.caCertPem,
        source: 'local-tenant',
      },
      budget: { perSecond: 1000, burst: 1000 },
    });
    try {
      const outcome = await applyPrepared(prepared, {});
      if (!outcome.result.verified) throw new Error(`deploying tenant.yaml left differences: ${JSON.stringify(outcome.result.remaining)}`);
    } finally {
      await prepared.close();
    }
    const clients = await local.management.clients.list({ fields: 'client_id,client_secret,name', include_fields: true });
    const client = clients.data.find((candidate) => candidate.name === RESOURCE_SERVER_CLIENT);
    if (!client?.client_id || !client.client_secret) throw new Error(`tenant.yaml did not create the client "${RESOURCE_SERVER_CLIENT}"`);
    const users = await local.management.users.listUsersByEmail({ email: DEMO_USER.email });
    demoUserId = users[0]?.user_id ?? '';
    if (!demoUserId) throw new Error('tenant.yaml (env local) did not create the demo user');
    variables = {
      AUTH0_DOMAIN: tenant.domain,
      AUTH0_CLIENT_ID: client.client_id,
      AUTH0_CLIENT_SECRET: client.client_secret,
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
