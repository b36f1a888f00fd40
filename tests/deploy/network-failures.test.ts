// Off the happy path against a real-tenant target: an unresolvable domain, an untrusted certificate, a wrong client
// secret, a refused Management API request and a mistyped --env each end in one message naming cause and fix —
// DNS and certificate failures without retries, nothing with a stack trace.
import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManagementError } from 'auth0';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCliArguments } from '../../deploy/cli-options.js';
import { RequestBudget } from '../../deploy/http/budget.js';
import { classifyNetworkError } from '../../deploy/http/network-errors.js';
import { createResilientFetch, RequestFailedError } from '../../deploy/http/resilient-fetch.js';
import { describeTargetFailure } from '../../deploy/target/failures.js';
import { connect } from '../../deploy/target/management-client.js';
import { resolveTarget } from '../../deploy/target/target.js';
import { ensureTlsMaterial } from '../../local-tenant/tls.js';
import { useLocalTenant } from '../helpers/local-tenant.js';
import { createWorkspace, runScript, type Workspace } from './helpers.js';

const fixture = useLocalTenant();
let workspace: Workspace;

beforeAll(async () => {
  workspace = await createWorkspace();
});

const fastBudget = () => new RequestBudget({ perSecond: 1000, burst: 100 });

function failingFetch(code: string) {
  let calls = 0;
  const fetch = (): Promise<Response> => {
    calls++;
    return Promise.reject(
      new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) }),
    );
  };
  return { fetch, calls: () => calls };
}

describe('network failures', () => {
  it('a DNS failure or an untrusted certificate is not retried; a refused connection is', async () => {
    for (const code of ['ENOTFOUND', 'EAI_AGAIN', 'SELF_SIGNED_CERT_IN_CHAIN']) {
      const base = failingFetch(code);
      const retries: string[] = [];
      const fetch = createResilientFetch({
        budget: fastBudget(),
        baseFetch: base.fetch,
        backoffBaseMs: 1,
        onRetry: (message) => retries.push(message),
      });
      const failure = await fetch('https://bank.example.test/api/v2/clients').catch(
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(RequestFailedError);
      expect(base.calls(), code).toBe(1);
      expect(retries).toEqual([]);
      expect(describeTargetFailure(failure)).toMatch(
        code.startsWith('E')
          ? /cannot resolve bank\.example\.test.*AUTH0_DOMAIN/
          : /not trusted.*NODE_EXTRA_CA_CERTS/,
      );
    }
    const refused = failingFetch('ECONNREFUSED');
    const fetch = createResilientFetch({
      budget: fastBudget(),
      baseFetch: refused.fetch,
      backoffBaseMs: 1,
      maxTransientRetries: 2,
    });
    await expect(fetch('https://bank.example.test/api/v2/clients')).rejects.toThrow(/ECONNREFUSED/);
    expect(refused.calls()).toBe(3);
  });

  it('a domain that does not resolve is named before anything else runs', async () => {
    // .invalid never resolves (RFC 2606), with or without a network.
    const failure = resolveTarget({
      env: 'dev',
      variables: {
        AUTH0_DOMAIN: 'my-bank-dev.invalid',
        AUTH0_CLIENT_ID: 'id',
        AUTH0_CLIENT_SECRET: 's',
      },
    });
    await expect(failure).rejects.toThrow(/AUTH0_DOMAIN: cannot resolve my-bank-dev\.invalid/);
    expect(classifyNetworkError(Object.assign(new Error('x'), { code: 'ENOTFOUND' })).kind).toBe(
      'dns',
    );
  });

  it('a certificate the target does not trust ends in a message naming NODE_EXTRA_CA_CERTS, at once', async () => {
    const otherCa = await ensureTlsMaterial(mkdtempSync(join(tmpdir(), 'other-ca-')));
    const retries: string[] = [];
    const tenant = connect(
      {
        domain: fixture.tenant.domain,
        env: 'dev',
        clientId: fixture.tenant.bootstrap.clientId,
        clientSecret: fixture.tenant.bootstrap.clientSecret,
        caCertPem: otherCa.caCertPem,
        source: 'environment',
      },
      { onRetry: (message) => retries.push(message), backoffBaseMs: 1 },
    );
    try {
      const error = await tenant.mgmt.clients.list().catch((caught: unknown) => caught);
      expect(describeTargetFailure(error)).toMatch(
        new RegExp(
          `TLS certificate of ${fixture.tenant.domain.replace(/\./g, '\\.')} is not trusted`,
        ),
      );
      expect(retries).toEqual([]);
    } finally {
      await tenant.close();
    }
  });

  it('a host that never completes a connection is unreachable, said without retries', async () => {
    // Accepts TCP and then stays silent: the TLS handshake never finishes, as with a host that drops packets.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const retries: string[] = [];
    const tenant = connect(
      {
        domain: `127.0.0.1:${port}`,
        env: 'dev',
        clientId: 'id',
        clientSecret: 's',
        source: 'environment',
      },
      { onRetry: (message) => retries.push(message), backoffBaseMs: 1 },
    );
    try {
      const error = await tenant.mgmt.clients.list().catch((caught: unknown) => caught);
      expect(describeTargetFailure(error)).toMatch(
        new RegExp(`127\\.0\\.0\\.1:${port} is unreachable \\(UND_ERR_CONNECT_TIMEOUT\\)`),
      );
      expect(retries).toEqual([]);
    } finally {
      await tenant.close();
      silent.close();
    }
  }, 30_000);

  it('a wrong client secret: the tenant refused the credentials, check AUTH0_CLIENT_SECRET', async () => {
    const tenant = connect({
      domain: fixture.tenant.domain,
      env: 'dev',
      clientId: fixture.tenant.bootstrap.clientId,
      clientSecret: 'not-the-secret',
      source: 'environment',
    });
    try {
      const error = await tenant.mgmt.clients.list().catch((caught: unknown) => caught);
      expect(describeTargetFailure(error, fixture.tenant.domain)).toMatch(
        /refused the deploy client's credentials \(token request: 401.*\)\. Check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET/,
      );
    } finally {
      await tenant.close();
    }
    const result = await runScript(fixture.tenant, workspace, 'scripts/diff.ts', ['--env', 'dev'], {
      AUTH0_CLIENT_SECRET: 'not-the-secret',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("refused the deploy client's credentials");
    expect(result.stderr).not.toMatch(/\n\s+at |ManagementError/);
  }, 60_000);

  it('403 from the Management API names the scope and the fix', () => {
    const error = new ManagementError({
      message: 'Forbidden',
      statusCode: 403,
      body: {
        statusCode: 403,
        error: 'Forbidden',
        message: 'Insufficient scope, expected any of: read:clients',
        errorCode: 'insufficient_scope',
      },
    });
    expect(describeTargetFailure(error, 'bank.eu.auth0.com')).toBe(
      'bank.eu.auth0.com refused a Management API request (403 Forbidden: Insufficient scope, expected any of: ' +
        "read:clients). Grant the missing scope to the deploy client (the README's scope table lists every scope " +
        'the deploy uses).',
    );
  });

  it('--env nosuchenv names the missing values file', () => {
    expect(() => readCliArguments('diff', ['--env', 'nosuchenv'])).toThrow(
      /--env nosuchenv: tenant\/env\/nosuchenv\.json does not exist \(environments: dev, local, prod, staging\)/,
    );
  });
});
