// npm run introspect over real HTTPS to the deployed local tenant: every token kind, and the
// resource server's client assertion (private_key_jwt, docs/auth0-facts.md §7) refused when signed
// by another key, expired or replayed.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApplicationPassword } from '../../tenant-tools/application-passwords.js';
import { ToolError } from '../../tenant-tools/errors.js';
import { runIntrospectCommand } from '../../tenant-tools/introspect-command.js';
import { introspectToken } from '../../tenant-tools/introspection.js';
import { loadResourceServerPrivateKey } from '../../tenant-tools/resource-server-key.js';
import { openTenant, type ToolTenant } from '../../tenant-tools/tenant.js';
import { BANKING_API, captureOutput, DEMO_USER, useDeployedTenant } from './fixture.js';

const fixture = useDeployedTenant();
let aspValue = '';
let tokens: { accessToken: string; refreshToken: string };

const introspect = async (...argv: string[]) => {
  const output = captureOutput();
  const code = await runIntrospectCommand(argv, fixture.environment, output);
  return { code, ...output };
};
const introspectJson = async (token: string) => {
  const result = await introspect(token, '--json');
  expect(result.code, result.err).toBe(0);
  return JSON.parse(result.out) as Record<string, unknown>;
};

beforeAll(async () => {
  const tenant = await openTenant({ variables: fixture.variables });
  try {
    const { asp } = await createApplicationPassword(tenant, {
      user: DEMO_USER.email,
      label: 'introspection',
      scopes: ['view:balance'],
      audience: BANKING_API,
    });
    aspValue = asp.value;
  } finally {
    await tenant.close();
  }
  tokens = await fixture.login();
});

describe('npm run introspect: each kind of token', () => {
  it('an App Specific Password: its user, scopes and the draft token_type', async () => {
    const claims = await introspectJson(aspValue);
    expect(claims).toMatchObject({
      active: true,
      token_type: 'application_specific_password_token',
      sub: fixture.demoUserId,
      username: DEMO_USER.email,
      scope: 'view:balance',
      aud: BANKING_API,
      iss: `${fixture.tenant.baseUrl}/`,
    });
    expect(claims.iat).toEqual(expect.any(Number));
  });

  it("a user's JWT access token and refresh token", async () => {
    expect(await introspectJson(tokens.accessToken)).toMatchObject({
      active: true,
      token_type: 'access_token',
      sub: fixture.demoUserId,
      aud: expect.arrayContaining([BANKING_API]),
    });
    expect(await introspectJson(tokens.refreshToken)).toMatchObject({
      active: true,
      token_type: 'refresh_token',
      sub: fixture.demoUserId,
      client_id: fixture.passwordClient.clientId,
      aud: BANKING_API,
    });
  });

  it("a partner's client-credentials JWT", async () => {
    expect(await introspectJson(await fixture.partnerToken())).toMatchObject({
      active: true,
      token_type: 'access_token',
      gty: 'client-credentials',
      scope: 'view:balance',
    });
  });

  it("a valid token for another API is inactive for this one (the tenant answers only about the caller's tokens)", async () => {
    expect(await introspectJson(await fixture.token())).toEqual({ active: false });
  });

  it('an unknown or tampered token is inactive (exit 0: the question was answered)', async () => {
    expect(await introspectJson('notavalidpassword')).toEqual({ active: false });
    const [header, payload] = tokens.accessToken.split('.');
    expect(await introspectJson(`${header}.${payload}.${'A'.repeat(342)}`)).toEqual({
      active: false,
    });
  });

  it('prints readable claims without --json, times as ISO dates too', async () => {
    const result = await introspect(aspValue);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/^active\s+true\n/);
    expect(result.out).toMatch(/\ntoken_type\s+application_specific_password_token\n/);
    expect(result.out).toMatch(/\nusername\s+demo@example\.com\n/);
    expect(result.out).toMatch(/\niat\s+\d+ \(\d{4}-\d\d-\d\dT[\d:.]+Z\)\n/);
    // Claims only: the token itself is never echoed.
    expect(result.out + result.err).not.toContain(aspValue);
    const inactive = await introspect('notavalidpassword');
    expect(inactive.out).toMatch(/^active: false/);
  });
});

describe("the resource server's client assertion", () => {
  let tenant: ToolTenant;
  beforeAll(async () => {
    tenant = await openTenant({ variables: fixture.variables });
    return () => tenant.close();
  });
  const ownKey = () => loadResourceServerPrivateKey({ path: fixture.privateKeyPath }).key;

  it('signed by a key other than the verificationKey → refused with a hint', async () => {
    const { privateKey: otherKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const attempt = introspectToken(tenant, {
      token: aspValue,
      resourceServer: BANKING_API,
      privateKey: otherKey,
      keyOrigin: 'other.pem',
    });
    await expect(attempt).rejects.toBeInstanceOf(ToolError);
    await expect(attempt).rejects.toThrow(
      /refused the resource server's client assertion \(HTTP 401, invalid_client: .*signature.*\)\. Is the public key of other\.pem the verificationKey of https:\/\/my-banking-api\?/,
    );
  });

  it('expired → refused', async () => {
    const issuedAt = Math.floor(Date.now() / 1000) - 600;
    const attempt = introspectToken(tenant, {
      token: aspValue,
      resourceServer: BANKING_API,
      privateKey: ownKey(),
      assertion: { issuedAt, lifetimeSeconds: 60 },
    });
    await expect(attempt).rejects.toThrow(/HTTP 401, invalid_client: .*"exp"/);
  });

  it('replayed (same jti) → refused the second time', async () => {
    const jti = randomUUID();
    const first = await introspectToken(tenant, {
      token: aspValue,
      resourceServer: BANKING_API,
      privateKey: ownKey(),
      assertion: { jti },
    });
    expect(first.active).toBe(true);
    const replay = introspectToken(tenant, {
      token: aspValue,
      resourceServer: BANKING_API,
      privateKey: ownKey(),
      assertion: { jti },
    });
    await expect(replay).rejects.toThrow(
      /HTTP 401, invalid_client: Invalid client_assertion: jti has already been used/,
    );
  });

  it('naming an API the tenant does not know → refused', async () => {
    const attempt = introspectToken(tenant, {
      token: aspValue,
      resourceServer: 'https://not-our-api',
      privateKey: ownKey(),
    });
    await expect(attempt).rejects.toThrow(
      /HTTP 401, invalid_client: Invalid client_assertion: unknown resource server/,
    );
  });

  it('the command reports a wrong key as exit 1 with one line, no stack trace', async () => {
    const otherPath = join(fixture.keysDir, 'other.private.pem');
    writeFileSync(
      otherPath,
      generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
        type: 'pkcs8',
        format: 'pem',
      }),
    );
    const result = await introspect(aspValue, '--key', otherPath);
    expect(result.code).toBe(1);
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect(result.err).toContain(`Is the public key of ${otherPath} the verificationKey`);
  });
});

describe('npm run introspect: arguments and environment', () => {
  it('a missing key file → exit 1 naming the file and `npm run keys`', async () => {
    const missing = join(fixture.keysDir, 'nope.pem');
    const output = captureOutput();
    const code = await runIntrospectCommand(
      [aspValue],
      { variables: { ...fixture.variables, RESOURCE_SERVER_PRIVATE_KEY_PATH: missing } },
      output,
    );
    expect(code).toBe(1);
    expect(output.err).toBe(
      `introspect: no resource server private key: ${missing} does not exist and RESOURCE_SERVER_PRIVATE_KEY is not set. ` +
        'Run `npm run keys` and deploy (npm run deploy) so the tenant knows its public key.\n',
    );
  });

  it('a file that is not a private key → exit 1', async () => {
    const publicOnly = join(fixture.keysDir, 'resource-server.public.pem');
    const result = await introspect(aspValue, '--key', publicOnly);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /^introspect: .*resource-server\.public\.pem is not a usable RSA private key/,
    );
  });

  it('RESOURCE_SERVER_PRIVATE_KEY (CI secret, \\n-escaped) works instead of a file', async () => {
    const pem = loadResourceServerPrivateKey({ path: fixture.privateKeyPath })
      .key.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const output = captureOutput();
    const variables = {
      ...fixture.variables,
      RESOURCE_SERVER_PRIVATE_KEY_PATH: '',
      RESOURCE_SERVER_PRIVATE_KEY: pem.replace(/\n/g, '\\n'),
    };
    const code = await runIntrospectCommand([aspValue, '--json'], { variables }, output);
    expect(code, output.err).toBe(0);
    expect(JSON.parse(output.out)).toMatchObject({ active: true, username: DEMO_USER.email });
  });

  it('"-" reads the token from stdin', async () => {
    const output = captureOutput();
    const code = await runIntrospectCommand(
      ['-', '--json'],
      { ...fixture.environment, readStdin: async () => `${aspValue}\n` },
      output,
    );
    expect(code, output.err).toBe(0);
    expect(JSON.parse(output.out)).toMatchObject({ active: true });
  });

  it('a token that begins with "-" (refresh tokens are random text) is the token, not a flag', async () => {
    const result = await introspect('-0notAFlag_butAToken', '--json');
    expect(result.err).not.toContain('Unknown option');
    expect(JSON.parse(result.out)).toMatchObject({ active: false });
  });

  it('usage mistakes → exit 2 with the usage text', async () => {
    for (const argv of [[], ['a', 'b'], ['tok', '--jsn']]) {
      const output = captureOutput();
      expect(await runIntrospectCommand(argv, { variables: {} }, output), argv.join(' ')).toBe(2);
      expect(output.err).toContain('Usage:');
    }
  });

  it('says that Auth0 never shipped introspection when /oauth/introspect answers 404', async () => {
    const fault = fixture.tenant.faults.add({ path: '^/oauth/introspect$', status: 404 });
    try {
      const result = await introspect(aspValue);
      expect(result.code).toBe(1);
      expect(result.err).toBe(
        `introspect: ${fixture.tenant.domain} does not offer token introspection (/oauth/introspect): it answered 404 to POST /oauth/introspect. ` +
          'Auth0 never made App Specific Passwords or token introspection generally available (they were a 2017 early-access ' +
          'feature that was withdrawn; see docs/asp.md). They work against the local tenant (npm run local-tenant).\n',
      );
    } finally {
      fixture.tenant.faults.remove(fault);
    }
  });
});
