// Banking API configuration: read once from the environment and validated, so a typo fails at start-up
// with the variable's name instead of as a confusing 401 later.
import { readFileSync } from 'node:fs';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { BANKING_API_IDENTIFIER } from '../lib/banking-api-contract.js';
import { errorCode } from '../lib/guards.js';

export const DEFAULT_AUDIENCE = BANKING_API_IDENTIFIER;
export const DEFAULT_PORT = 3001;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export interface BankingApiConfig {
  /** Token issuer with trailing slash, e.g. https://tenant.auth0.com/ — compared exactly with `iss`. */
  issuerBaseUrl: string;
  /** API identifier; must appear in `aud`. Also the namespace of the MFA claim and the client assertion's iss/sub. */
  audience: string;
  port: number;
  /** When set, the transfer-token replay store lives in Redis so several instances share it. */
  redisUrl?: string;
  /**
   * Resource server private key, used to sign the client assertion for token introspection
   * (docs/asp.md).
   */
  resourceServerPrivateKey?: KeyObject;
  /**
   * Client used to try the password grant for Basic auth (docs/asp.md); without it Basic auth only
   * accepts ASPs.
   */
  passwordGrantClientId?: string;
  passwordGrantClientSecret?: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Browser origins (scheme://host[:port]) allowed to call the API cross-origin, e.g. the banking SPA. */
  corsOrigins: string[];
  /** Allowed skew between our clock and the issuer's, in seconds. */
  clockToleranceSeconds: number;
  /** Largest bearer token accepted, in characters. */
  maxTokenLength: number;
}

const issuerUrl = z
  .string()
  .url()
  .superRefine((value, ctx) => {
    const url = new URL(value);
    if (url.protocol === 'https:') return;
    if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return;
    ctx.addIssue({
      code: 'custom',
      message: 'must be https:// (http:// only for a loopback issuer)',
    });
  })
  .transform((value) => (value.endsWith('/') ? value : `${value}/`));

const EnvSchema = z.object({
  ISSUER_BASE_URL: issuerUrl,
  AUDIENCE: z.string().min(1).default(DEFAULT_AUDIENCE),
  PORT: z.coerce.number().int().min(0).max(65535).default(DEFAULT_PORT),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  RESOURCE_SERVER_PRIVATE_KEY: z.string().optional(),
  RESOURCE_SERVER_PRIVATE_KEY_PATH: z.string().optional(),
  PASSWORD_GRANT_CLIENT_ID: z.string().optional(),
  PASSWORD_GRANT_CLIENT_SECRET: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CORS_ORIGINS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z
          .string()
          .regex(/^https?:\/\/[^/\s]+$/, 'each origin must be scheme://host[:port] without a path'),
      ),
    )
    .default([]),
});

/** Empty strings (as `.env.sample` leaves them) mean "unset". */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => !!entry[1]),
  );
}

export class ConfigError extends Error {}

export function loadConfigFromEnv(env: NodeJS.ProcessEnv = process.env): BankingApiConfig {
  const parsed = EnvSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`,
    );
    throw new ConfigError(`banking API configuration is invalid:\n  ${problems.join('\n  ')}`);
  }
  const values = parsed.data;
  return {
    issuerBaseUrl: values.ISSUER_BASE_URL,
    audience: values.AUDIENCE,
    port: values.PORT,
    redisUrl: values.REDIS_URL,
    resourceServerPrivateKey: loadPrivateKey(
      values.RESOURCE_SERVER_PRIVATE_KEY,
      values.RESOURCE_SERVER_PRIVATE_KEY_PATH,
    ),
    passwordGrantClientId: values.PASSWORD_GRANT_CLIENT_ID,
    passwordGrantClientSecret: values.PASSWORD_GRANT_CLIENT_SECRET,
    logLevel: values.LOG_LEVEL,
    corsOrigins: values.CORS_ORIGINS,
    clockToleranceSeconds: 5,
    maxTokenLength: 8192,
  };
}

/** The PEM itself wins over the path (CI passes it from a secret). Errors never echo the key. */
function loadPrivateKey(pem: string | undefined, path: string | undefined): KeyObject | undefined {
  if (pem) return parsePrivateKey(pem, 'RESOURCE_SERVER_PRIVATE_KEY');
  if (!path) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `RESOURCE_SERVER_PRIVATE_KEY_PATH: cannot read ${path} (${errorCode(error) ?? 'error'})`,
    );
  }
  return parsePrivateKey(text, `RESOURCE_SERVER_PRIVATE_KEY_PATH (${path})`);
}

function parsePrivateKey(pem: string, source: string): KeyObject {
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'rsa') throw new Error('not RSA');
    return key;
  } catch {
    throw new ConfigError(`${source}: not a PEM-encoded RSA private key`);
  }
}

/** Fills defaults for in-process use (tests, demo) so callers give only what differs. */
export function bankingApiConfig(
  overrides: Partial<BankingApiConfig> & Pick<BankingApiConfig, 'issuerBaseUrl'>,
): BankingApiConfig {
  const issuer = issuerUrl.safeParse(overrides.issuerBaseUrl);
  if (!issuer.success)
    throw new ConfigError(`issuerBaseUrl: ${issuer.error.issues[0]?.message ?? 'invalid'}`);
  return {
    audience: DEFAULT_AUDIENCE,
    port: DEFAULT_PORT,
    logLevel: 'silent',
    corsOrigins: [],
    clockToleranceSeconds: 5,
    maxTokenLength: 8192,
    ...overrides,
    issuerBaseUrl: issuer.data,
  };
}
