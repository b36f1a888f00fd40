// Target resolution: a CI job with missing or partial secrets fails before anything runs; only --env local may
// fall back to the local tenant.
import { describe, expect, it } from 'vitest';
import { resolveTarget, TargetConfigError } from '../../deploy/target/target.js';

/** These tests run offline: the domain check answers as a resolver that knows the name. */
const resolves = async () => undefined;

const localTenant = async () => ({
  domain: '127.0.0.1:8443',
  clientId: 'local-id',
  clientSecret: 'local-secret',
});

describe('resolveTarget', () => {
  it('uses AUTH0_* when complete, for any env', async () => {
    const target = await resolveTarget({
      env: 'prod',
      variables: {
        AUTH0_DOMAIN: 'bank.eu.auth0.com',
        AUTH0_CLIENT_ID: 'id',
        AUTH0_CLIENT_SECRET: 's',
      },
      lookupHost: resolves,
    });
    expect(target).toMatchObject({
      domain: 'bank.eu.auth0.com',
      env: 'prod',
      clientId: 'id',
      clientSecret: 's',
      source: 'environment',
    });
  });

  it('falls back to the local tenant only for --env local with nothing configured', async () => {
    expect(
      await resolveTarget({ env: 'local', variables: {}, startLocalTenant: localTenant }),
    ).toMatchObject({ domain: '127.0.0.1:8443', source: 'local-tenant' });
    await expect(
      resolveTarget({ env: 'dev', variables: {}, startLocalTenant: localTenant }),
    ).rejects.toThrow(/--env dev: no target tenant configured/);
  });

  it('rejects a partial configuration in every env, naming what is missing', async () => {
    for (const env of ['local', 'prod']) {
      const failure = resolveTarget({
        env,
        variables: { AUTH0_DOMAIN: 'bank.eu.auth0.com', AUTH0_CLIENT_ID: 'id' },
        startLocalTenant: localTenant,
      });
      await expect(failure).rejects.toBeInstanceOf(TargetConfigError);
      await expect(failure).rejects.toThrow(
        /missing: AUTH0_CLIENT_SECRET or AUTH0_CLIENT_SIGNING_KEY_PATH/,
      );
    }
  });

  it('rejects a domain with a scheme and an unreadable signing key', async () => {
    await expect(
      resolveTarget({
        env: 'dev',
        variables: {
          AUTH0_DOMAIN: 'https://bank.eu.auth0.com',
          AUTH0_CLIENT_ID: 'id',
          AUTH0_CLIENT_SECRET: 's',
        },
      }),
    ).rejects.toThrow(/bare host/);
    await expect(
      resolveTarget({
        env: 'dev',
        variables: {
          AUTH0_DOMAIN: 'b.auth0.com',
          AUTH0_CLIENT_ID: 'id',
          AUTH0_CLIENT_SIGNING_KEY_PATH: '/nonexistent/key.pem',
        },
      }),
    ).rejects.toThrow(/cannot read \/nonexistent\/key.pem/);
  });
});
