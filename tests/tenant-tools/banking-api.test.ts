// The two ways (docs/asp.md) to use an App Specific Password against the banking API (in-process,
// createBankingApi from banking-api/), with a deployed local tenant behind it over HTTPS: as a
// bearer token (introspection) and as the password of Basic auth (password grant first, then
// introspection). After `asp delete` the ASP is refused.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { bankingApiConfig, startBankingApi, type BankingApi } from '../../banking-api/index.js';
import { runAspCommand } from '../../tenant-tools/asp-command.js';
import { loadResourceServerPrivateKey } from '../../tenant-tools/resource-server-key.js';
import { BANKING_API, captureOutput, DEMO_USER, useDeployedTenant } from './fixture.js';

const fixture = useDeployedTenant();
const apis: Array<BankingApi & { url: string }> = [];

/** A banking API configured as `npm run api` would be for this tenant: its private key, the password client. */
async function startApi(): Promise<BankingApi & { url: string }> {
  const api = await startBankingApi(
    bankingApiConfig({
      issuerBaseUrl: `${fixture.tenant.baseUrl}/`,
      audience: BANKING_API,
      port: 0,
      resourceServerPrivateKey: loadResourceServerPrivateKey({ path: fixture.privateKeyPath }).key,
      passwordGrantClientId: fixture.passwordClient.clientId,
      passwordGrantClientSecret: fixture.passwordClient.clientSecret,
    }),
  );
  apis.push(api);
  return api;
}

async function balance(
  api: { url: string },
  authorization: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(new URL('/balance', api.url), { headers: { authorization } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const basic = (username: string, password: string) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

async function asp(...argv: string[]): Promise<string> {
  const output = captureOutput();
  const code = await runAspCommand(argv, fixture.environment, output);
  if (code !== 0) throw new Error(`asp ${argv.join(' ')} failed (${code}): ${output.err}`);
  return output.out;
}

let api: BankingApi & { url: string };
beforeAll(async () => {
  api = await startApi();
});
afterEach(() => {
  vi.useRealTimers();
});
afterAll(async () => {
  await Promise.all(apis.map((instance) => instance.close()));
});

describe('an App Specific Password against the banking API', () => {
  it('create → bearer and Basic auth accepted → delete → refused', async () => {
    const created = await asp(
      'create',
      '--user',
      DEMO_USER.email,
      '--label',
      'budget app',
      '--scope',
      'view:balance',
    );
    const value = /value:\s+([a-z]{16})\n/.exec(created)![1]!;
    const id = /Created App Specific Password (asp_\S+)/.exec(created)![1]!;
    expect(await asp('list', '--user', DEMO_USER.email)).toContain(id);

    const tenantCallsBefore = fixture.tenant.requestLog.entries('/oauth/').length;
    const asBasic = await balance(api, basic(DEMO_USER.email, value));
    expect(asBasic.status, JSON.stringify(asBasic.body)).toBe(200);
    // The documented order, as the tenant saw it: the password grant first (refused: not the user's
    // password), then introspection of the password as an ASP.
    const tenantCalls = fixture.tenant.requestLog
      .entries('/oauth/')
      .slice(tenantCallsBefore)
      .map((entry) => `${entry.method} ${entry.path} ${entry.status}`);
    expect(tenantCalls).toEqual(['POST /oauth/token 403', 'POST /oauth/introspect 200']);
    const asBearer = await balance(api, `Bearer ${value}`);
    expect(asBearer.status, JSON.stringify(asBearer.body)).toBe(200);
    expect(asBearer.body.accounts).toEqual(expect.any(Array));
    // The ASP belongs to the demo user only: another username with the same password is refused.
    expect((await balance(api, basic('someone.else@example.com', value))).status).toBe(401);

    await asp('delete', '--user', DEMO_USER.email, '--id', id);

    // A banking API that has not seen the ASP asks the tenant, which no longer knows it.
    const fresh = await startApi();
    expect((await balance(fresh, `Bearer ${value}`)).status).toBe(401);
    expect((await balance(fresh, basic(DEMO_USER.email, value))).status).toBe(401);
    // The running API answers from its positive introspection cache for up to 30 s (banking-api/introspection.ts),
    // then asks again and refuses (clock moved, not waited for).
    expect((await balance(api, `Bearer ${value}`)).status).toBe(200);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 31_000 });
    const afterCache = await balance(api, `Bearer ${value}`);
    expect(afterCache.status).toBe(401);
    expect(afterCache.body).toMatchObject({ error: 'invalid_token' });
    expect((await balance(api, basic(DEMO_USER.email, value))).status).toBe(401);
  });

  it('a password for another scope does not grant view:balance', async () => {
    const created = await asp(
      'create',
      '--user',
      DEMO_USER.email,
      '--label',
      'transfers only',
      '--scope',
      'transfer:funds',
    );
    const value = /value:\s+([a-z]{16})\n/.exec(created)![1]!;
    const result = await balance(api, `Bearer ${value}`);
    expect(result.status).toBe(403);
    expect(result.body).toMatchObject({ error: 'insufficient_scope' });
  });

  it("the user's real password still works through Basic auth (password grant), without introspection", async () => {
    const before = api.introspection!.requestCount;
    const result = await balance(api, basic(DEMO_USER.email, DEMO_USER.password));
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    expect(api.introspection!.requestCount).toBe(before);
  });
});
