// State persistence across restarts, atomic writes, --reset, and the tailable request log.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManagementClient } from 'auth0';
import { startLocalTenant, type LocalTenant } from '../../local-tenant/index.js';
import { testCaDir } from '../helpers/local-tenant.js';
import { captureFailure } from '../helpers/management-errors.js';

const stateDir = mkdtempSync(join(tmpdir(), 'local-tenant-state-'));
const started: LocalTenant[] = [];

async function start(reset = false): Promise<LocalTenant> {
  const tenant = await startLocalTenant({ port: 0, stateDir, caDir: testCaDir(), reset });
  started.push(tenant);
  return tenant;
}

function client(tenant: LocalTenant): ManagementClient {
  return new ManagementClient({
    domain: tenant.domain,
    clientId: tenant.bootstrap.clientId,
    clientSecret: tenant.bootstrap.clientSecret,
    maxRetries: 0,
  });
}

afterAll(async () => {
  for (const tenant of started) await tenant.close();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('persistence', () => {
  it('keeps resources, the bootstrap client and signing keys across a restart on another port', async () => {
    const first = await start(true);
    await client(first).resourceServers.create({
      identifier: 'https://persisted-api',
      name: 'Persisted',
    });
    await client(first).users.create({
      connection: 'Username-Password-Authentication',
      email: 'keep@example.com',
      password: 'Str0ng-Pass',
    });
    const kid = first.context.keys.jwks().keys[0]?.kid;
    await first.close();

    const second = await start();
    expect(second.bootstrap).toEqual(first.bootstrap);
    expect(second.context.keys.jwks().keys[0]?.kid).toBe(kid);
    const servers = await client(second).resourceServers.list();
    expect(servers.data.map((server) => server.identifier)).toEqual([
      `https://${second.domain}/api/v2/`,
      'https://persisted-api',
    ]);
    expect((await client(second).users.list()).data.map((user) => user.email)).toEqual([
      'keep@example.com',
    ]);
    await second.close();
  });

  it('writes state atomically: valid JSON, no temp files, untouched by a failed request', async () => {
    const tenant = await start();
    const statePath = join(stateDir, 'state.json');
    const before = readFileSync(statePath, 'utf8');
    expect(() => JSON.parse(before)).not.toThrow();
    const duplicate = await captureFailure(
      client(tenant).resourceServers.create({ identifier: 'https://persisted-api', name: 'again' }),
    );
    expect(duplicate.statusCode).toBe(409);
    // Only the tenant log grew (a failed write is logged as fapi, like Auth0); every resource is as it was.
    const withoutLogs = (text: string) => {
      const { logs, log_sequence, ...rest } = JSON.parse(text) as {
        logs: { type: string; details: { response: { statusCode: number } } }[];
        log_sequence: number;
      };
      return { rest, logs, log_sequence };
    };
    const after = withoutLogs(readFileSync(statePath, 'utf8'));
    expect(after.rest).toEqual(withoutLogs(before).rest);
    expect(after.logs.at(-1)).toMatchObject({
      type: 'fapi',
      details: { response: { statusCode: 409 } },
    });
    expect(after.log_sequence).toBe(withoutLogs(before).log_sequence + 1);
    expect(readdirSync(stateDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(
      tenant.store.snapshot.resource_servers.filter(
        (server) => server.identifier === 'https://persisted-api',
      ),
    ).toHaveLength(1);

    const lines = readFileSync(join(stateDir, 'requests.jsonl'), 'utf8').trim().split('\n');
    const last = JSON.parse(lines.at(-1)!) as { method: string; path: string; status: number };
    expect(last).toMatchObject({ method: 'POST', path: '/api/v2/resource-servers', status: 409 });
    await tenant.close();
  });

  it('--reset wipes the state', async () => {
    const tenant = await start(true);
    expect(
      (await client(tenant).resourceServers.list()).data.map((server) => server.identifier),
    ).toEqual([`https://${tenant.domain}/api/v2/`]);
    await tenant.close();
  });

  it('refuses to start on a corrupt state file with a message naming the file', async () => {
    writeFileSync(join(stateDir, 'state.json'), '{"version":1,"clients":[');
    await expect(start()).rejects.toThrow(/state\.json is not valid JSON.*--reset/);
  });
});
