// Configuration from the environment: defaults, loopback-only http, errors that name the variable, no secret echoed.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFromEnv } from '../../banking-api/index.js';
import { AUDIENCE } from './helpers.js';

describe('configuration from the environment', () => {
  it('applies defaults and adds the trailing slash to the issuer', () => {
    const config = loadConfigFromEnv({ ISSUER_BASE_URL: 'https://tenant.example.com' });
    expect(config).toMatchObject({
      issuerBaseUrl: 'https://tenant.example.com/',
      audience: AUDIENCE,
      port: 3001,
    });
    expect(config.redisUrl).toBeUndefined();
  });

  it('allows http only for a loopback issuer', () => {
    expect(loadConfigFromEnv({ ISSUER_BASE_URL: 'http://127.0.0.1:8080/' }).issuerBaseUrl).toBe(
      'http://127.0.0.1:8080/',
    );
    expect(() => loadConfigFromEnv({ ISSUER_BASE_URL: 'http://tenant.example.com/' })).toThrow(
      /ISSUER_BASE_URL: must be https/,
    );
  });

  it('names the variable at fault', () => {
    expect(() => loadConfigFromEnv({})).toThrow(/ISSUER_BASE_URL/);
    expect(() => loadConfigFromEnv({ ISSUER_BASE_URL: 'https://t.example/', PORT: 'abc' })).toThrow(
      /PORT/,
    );
    expect(() =>
      loadConfigFromEnv({ ISSUER_BASE_URL: 'https://t.example/', REDIS_URL: 'localhost:6379' }),
    ).toThrow(/REDIS_URL/);
  });

  it('rejects a private key that is not an RSA PEM without echoing it', () => {
    let error: unknown;
    try {
      loadConfigFromEnv({
        ISSUER_BASE_URL: 'https://t.example/',
        RESOURCE_SERVER_PRIVATE_KEY: 'super-secret-not-a-key',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /RESOURCE_SERVER_PRIVATE_KEY: not a PEM-encoded RSA private key/,
    );
    expect((error as Error).message).not.toContain('super-secret');
  });

  it('treats empty variables (as in .env.sample) as unset', () => {
    const config = loadConfigFromEnv({
      ISSUER_BASE_URL: 'https://t.example/',
      AUDIENCE: '',
      PORT: '',
      REDIS_URL: '',
    });
    expect(config.audience).toBe(AUDIENCE);
    expect(config.port).toBe(3001);
  });
});
