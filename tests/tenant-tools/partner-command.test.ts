// npm run partner, run in-process against a local tenant the real tenant/tenant.yaml was deployed to (so the
// partner-access credentials-exchange Action is bound), with the banking API validating the partners' tokens:
// create → token → /balance names the partner; suspend → /oauth/token refuses; resume; rotate; delete; and a
// later deploy (even with --allow-delete) leaves partners alone. One real process checks exit codes.
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bankingApiConfig, startBankingApi, type BankingApi } from '../../banking-api/index.js';
import { exportTenant } from '../../deploy/export/export-tenant.js';
import { createKeys } from '../../deploy/keys.js';
import { applyPrepared, prepare } from '../../deploy/run.js';
import { localTenantTarget } from '../../deploy/target/target.js';
import type { CommandEnvironment } from '../../tenant-tools/cli.js';
import { runPartnerCommand } from '../../tenant-tools/partners/command.js';
import { call, validTransfer } from '../banking-api/helpers.js';
import { useLocalTenant } from '../helpers/local-tenant.js';
import { captureOutput } from './fixture.js';

const BANKING_API = 'https://my-banking-api';
const PARTNER_CLAIM = `${BANKING_API}/partner_id`;
const local = useLocalTenant();
const scratch = mkdtempSync(join(tmpdir(), 'partner-command-'));
let environment: CommandEnvironment;
let api: BankingApi & { url: string };

async function deployTenantYaml(allowDelete = false) {
  const prepared = await prepare({
    env: 'local',
    keysDir: scratch,
    variables: {},
    target: localTenantTarget(local.tenant),
    budget: { perSecond: 1000, burst: 1000 },
    allowDelete,
  });
  try {
    return await applyPrepared(prepared, {});
  } finally {
    await prepared.close();
  }
}

beforeAll(async () => {
  createKeys(scratch);
  const outcome = await deployTenantYaml();
  if (!outcome.result.verified) throw new Error('deploying tenant.yaml left differences');
  // The commands authenticate as the deploy does (the local tenant's bootstrap client).
  environment = {
    variables: {
      AUTH0_DOMAIN: local.tenant.domain,
      AUTH0_CLIENT_ID: local.tenant.bootstrap.clientId,
      AUTH0_CLIENT_SECRET: local.tenant.bootstrap.clientSecret,
      AUDIENCE: BANKING_API,
    },
    budget: { perSecond: 1000, burst: 1000 },
  };
  api = await startBankingApi(
    bankingApiConfig({ issuerBaseUrl: `${local.tenant.baseUrl}/`, audience: BANKING_API, port: 0 }),
  );
}, 60_000);
afterAll(async () => {
  await api?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const run = async (...argv: string[]) => {
  const output = captureOutput();
  const code = await runPartnerCommand(argv, environment, output);
  return { code, ...output };
};
const runJson = async <T = Record<string, unknown>>(...argv: string[]) => {
  const result = await run(...argv, '--json');
  expect(result.code, result.err).toBe(0);
  return JSON.parse(result.out) as T;
};
const noStackTrace = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+/);

async function tokenWith(form: Record<string, string>) {
  const response = await fetch(`${local.tenant.baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', audience: BANKING_API, ...form }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}
const secretToken = (clientId: string, secret: string) =>
  tokenWith({ client_id: clientId, client_secret: secret });

async function assertionToken(clientId: string, privateKey: KeyObject) {
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(`${local.tenant.baseUrl}/`)
    .setIssuedAt()
    .setExpirationTime('60s')
    .setJti(randomUUID())
    .sign(privateKey);
  return tokenWith({
    client_assertion: assertion,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
  });
}

describe('npm run partner (in-process, local tenant, banking API)', () => {
  it('creates a partner whose token the API sees as the partner; suspend refuses tokens, resume restores them', async () => {
    const created = await run('create', '--name', 'Acme Payments');
    expect(created.code, created.err).toBe(0);
    const clientId = /\(([A-Za-z0-9]+)\)\n/.exec(created.out)?.[1] ?? '';
    const secret = /client secret:\s+(\S+)\n/.exec(created.out)?.[1] ?? '';
    expect(secret.length).toBeGreaterThan(20);
    expect(created.out).toContain('only time the secret is shown');
    expect(created.out).toContain('status:         active');
    expect(created.out).toContain('scopes:         view:balance on https://my-banking-api');

    const issued = await secretToken(clientId, secret);
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
    const token = issued.body.access_token!;
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(claims[PARTNER_CLAIM]).toBe(clientId);
    const balance = await call(api.url, '/balance', { token });
    expect(balance.status).toBe(200);
    expect(balance.body).toMatchObject({ caller: clientId, callerType: 'partner' });
    const transfer = await call(api.url, '/transfer', { token, body: validTransfer });
    expect(transfer.status).toBe(403);

    const listed = await run('list');
    expect(listed.code, listed.err).toBe(0);
    expect(listed.out).toMatch(/NAME\s+CLIENT ID\s+SCOPES\s+CREATED\s+STATUS/);
    expect(listed.out).toMatch(
      new RegExp(
        `Acme Payments\\s+${clientId}\\s+view:balance\\s+\\d{4}-\\d\\d-\\d\\dT\\S+\\s+active`,
      ),
    );
    expect(listed.out).not.toContain(secret);
    const { partners } = await runJson<{ partners: Record<string, unknown>[] }>('list');
    expect(partners).toEqual([
      {
        client_id: clientId,
        name: 'Acme Payments',
        status: 'active',
        scopes: ['view:balance'],
        audience: BANKING_API,
        created_at: expect.stringMatching(/^\d{4}-/),
        authentication: 'client_secret_post',
      },
    ]);
    expect(JSON.stringify(partners)).not.toContain(secret);

    const suspended = await runJson('suspend', clientId);
    expect(suspended).toMatchObject({ client_id: clientId, status: 'suspended' });
    const refused = await secretToken(clientId, secret);
    expect(refused).toEqual({
      status: 403,
      body: { error: 'invalid_request', error_description: `partner ${clientId} is suspended` },
    });
    expect((await runJson('show', clientId)).status).toBe('suspended');

    expect((await run('resume', clientId)).out).toContain('can get tokens again');
    expect((await secretToken(clientId, secret)).status).toBe(200);
  });

  it('rotate-secret prints the new secret once; the old one stops working', async () => {
    const created = await runJson<{ client_id: string; client_secret: string }>(
      'create',
      '--name',
      'Rotating Partner',
      '--scopes',
      'view:balance',
    );
    const rotated = await runJson<{ client_id: string; client_secret: string }>(
      'rotate-secret',
      created.client_id,
    );
    expect(rotated.client_secret).not.toBe(created.client_secret);
    expect((await secretToken(created.client_id, created.client_secret)).status).toBe(401);
    expect((await secretToken(created.client_id, rotated.client_secret)).status).toBe(200);
  });

  it('create --public-key registers the key for private_key_jwt and prints no secret', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pemFile = join(scratch, 'globex.pem');
    writeFileSync(pemFile, publicKey.export({ type: 'spki', format: 'pem' }));
    const created = await run('create', '--name', 'Globex', '--public-key', pemFile, '--json');
    expect(created.code, created.err).toBe(0);
    const partner = JSON.parse(created.out) as Record<string, string>;
    expect(partner).toMatchObject({ name: 'Globex', authentication: 'private_key_jwt' });
    expect(partner).not.toHaveProperty('client_secret');
    const issued = await assertionToken(partner.client_id!, privateKey);
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
    const balance = await call(api.url, '/balance', { token: issued.body.access_token! });
    expect(balance.body).toMatchObject({ caller: partner.client_id, callerType: 'partner' });

    const rotate = await run('rotate-secret', partner.client_id!);
    expect(rotate.code).toBe(1);
    expect(rotate.err).toContain('authenticates with private_key_jwt');

    const privateFile = join(scratch, 'private.pem');
    writeFileSync(privateFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const leaked = await run('create', '--name', 'Oops', '--public-key', privateFile);
    expect(leaked.code).toBe(2);
    expect(leaked.err).toContain('holds a PRIVATE key');
  });

  it('refuses unknown ids, clients that are not partners, bad scopes and taken names, in one line', async () => {
    const unknown = await run('show', 'no-such-client');
    expect(unknown).toMatchObject({
      code: 1,
      err: `partner show: no client no-such-client in ${local.tenant.domain}\n`,
    });

    const clients = await local.management.clients.list({
      fields: 'client_id,name',
      include_fields: true,
    });
    const spa = clients.data.find((client) => client.name === 'Banking SPA')!;
    const partnerInYaml = clients.data.find((client) => client.name === 'Banking Partner')!;
    for (const verb of ['show', 'suspend', 'rotate-secret', 'delete']) {
      const refused = await run(verb, spa.client_id!);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain(`client ${spa.client_id} ("Banking SPA") is not a partner`);
    }
    expect((await run('suspend', partnerInYaml.client_id!)).err).toContain('is not a partner');

    const transfer = await run(
      'create',
      '--name',
      'Greedy',
      '--scopes',
      'view:balance transfer:funds',
    );
    expect(transfer.code).toBe(2);
    expect(transfer.err).toContain('partners may never hold transfer:funds');
    const typo = await run('create', '--name', 'Typo', '--scopes', 'view:balanse');
    expect(typo.err).toContain('(did you mean view:balance?)');
    const taken = await run('create', '--name', 'Banking SPA');
    expect(taken.code).toBe(1);
    expect(taken.err).toContain('already has a client named "Banking SPA"');
    expect((await run('list', '--name', 'x')).code).toBe(2);
    // A real environment without AUTH0_* never falls back to the local tenant.
    const output = captureOutput();
    expect(await runPartnerCommand(['list', '--env', 'dev'], { variables: {} }, output)).toBe(1);
    expect(output.err).toMatch(/^partner list: --env dev: no target tenant configured/);
    for (const text of [unknown.err, transfer.err, taken.err]) noStackTrace(text);
    expect(await local.management.clients.get(spa.client_id!)).toBeDefined();
  });

  it('a deploy, even with --allow-delete, neither changes nor deletes partners or their grants', async () => {
    const partner = await runJson<{ client_id: string; client_secret: string }>(
      'create',
      '--name',
      'Initech',
    );
    await runJson('suspend', partner.client_id);
    const outcome = await deployTenantYaml(true);
    const touched = outcome.plan.changes.filter((change) => change.key.includes('Initech'));
    expect(touched).toEqual([]);
    const shown = await runJson('show', partner.client_id);
    expect(shown).toMatchObject({ status: 'suspended', scopes: ['view:balance'] });

    // npm run export leaves them out too: they are the operator's, not tenant.yaml's.
    const exported = await exportTenant(local.management, {
      domain: local.tenant.domain,
      deployClientId: local.tenant.bootstrap.clientId,
    });
    expect(exported.tenantYaml).not.toContain('Initech');
    expect(exported.tenantYaml).toContain('Banking Partner');
    expect(exported.notes.join('\n')).toMatch(/left out \d+ partner client\(s\)/);
  });

  it('delete removes the client and its grants', async () => {
    const partner = await runJson<{ client_id: string }>('create', '--name', 'Short Lived');
    const deleted = await run('delete', partner.client_id);
    expect(deleted.code, deleted.err).toBe(0);
    const grants = await local.management.clientGrants.list({ client_id: partner.client_id });
    expect(grants.data).toEqual([]);
    expect((await run('show', partner.client_id)).err).toContain(`no client ${partner.client_id}`);
  });
});

describe('npm run partner (real process)', () => {
  it('answers --help with exit 0 and an unknown command with exit 2, without a stack trace', async () => {
    const spawn = (args: string[]) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/partner.ts', ...args], {
        env: { ...process.env, DEBUG: '' },
        timeout: 60_000,
      }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => ({
          code: error.code,
          stdout: error.stdout,
          stderr: error.stderr,
        }),
      );
    const [help, usage] = await Promise.all([spawn(['suspend', '--help']), spawn(['frobnicate'])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: npm run partner -- suspend');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('unknown command "frobnicate"');
    noStackTrace(usage.stderr);
  });
});
