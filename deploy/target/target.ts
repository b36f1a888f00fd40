// Which tenant a deploy talks to. A CI job whose secrets are missing must fail here, before any request — never
// fall back to a local tenant and "succeed".
import { lookup } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { classifyNetworkError, describeNetworkFailure } from '../http/network-errors.js';

export interface Target {
  /** Tenant domain without scheme (the local tenant uses 127.0.0.1:<port>). */
  domain: string;
  /** Name of the values file, tenant/env/<env>.json. */
  env: string;
  clientId: string;
  clientSecret?: string;
  clientAssertionSigningKey?: string;
  /** PEM of a CA to trust in addition to the system store (the local tenant's self-made CA). */
  caCertPem?: string;
  /** Where the target came from, shown in the plan header. */
  source: 'environment' | 'local-tenant';
}

export class TargetConfigError extends Error {
  override name = 'TargetConfigError';
}

const targetVariables = [
  'AUTH0_DOMAIN',
  'AUTH0_CLIENT_ID',
  'AUTH0_CLIENT_SECRET',
  'AUTH0_CLIENT_SIGNING_KEY_PATH',
] as const;

/** Connection values the local tenant hands out (see local-tenant/ensure.ts). */
export interface LocalTenantConnection {
  domain: string;
  clientId: string;
  clientSecret: string;
  caCertPem?: string;
}

/** The target for a running local tenant, e.g. one a test, the demo or a benchmark started in-process. */
export function localTenantTarget(
  tenant: {
    domain: string;
    bootstrap: { clientId: string; clientSecret: string };
    caCertPem: string;
  },
  env = 'local',
): Target {
  return {
    domain: tenant.domain,
    env,
    clientId: tenant.bootstrap.clientId,
    clientSecret: tenant.bootstrap.clientSecret,
    caCertPem: tenant.caCertPem,
    source: 'local-tenant',
  };
}

export interface ResolveTargetOptions {
  env: string;
  variables?: NodeJS.ProcessEnv;
  /** Starts (or finds) the local tenant; only used for --env local without AUTH0_* configured. */
  startLocalTenant?: () => Promise<LocalTenantConnection>;
  /** Resolves the tenant's host name once before anything else runs (default: the system resolver). */
  lookupHost?: (hostname: string) => Promise<unknown>;
}

export async function resolveTarget(options: ResolveTargetOptions): Promise<Target> {
  const variables = options.variables ?? process.env;
  const value = (name: string): string | undefined => {
    const raw = variables[name]?.trim();
    return raw ? raw : undefined;
  };
  const present = targetVariables.filter((name) => value(name) !== undefined);

  if (present.length === 0) {
    if (options.env !== 'local') {
      throw new TargetConfigError(
        `--env ${options.env}: no target tenant configured. Set AUTH0_DOMAIN, AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET ` +
          `(or AUTH0_CLIENT_SIGNING_KEY_PATH) in the environment or .env. Only --env local falls back to the local tenant.`,
      );
    }
    if (!options.startLocalTenant)
      throw new TargetConfigError(
        '--env local: no AUTH0_* configured and no local tenant available',
      );
    const local = await options.startLocalTenant();
    return { ...local, env: options.env, source: 'local-tenant' };
  }

  const missing: string[] = [];
  const domain = value('AUTH0_DOMAIN');
  const clientId = value('AUTH0_CLIENT_ID');
  const clientSecret = value('AUTH0_CLIENT_SECRET');
  const keyPath = value('AUTH0_CLIENT_SIGNING_KEY_PATH');
  if (!domain) missing.push('AUTH0_DOMAIN');
  if (!clientId) missing.push('AUTH0_CLIENT_ID');
  if (!clientSecret && !keyPath)
    missing.push('AUTH0_CLIENT_SECRET or AUTH0_CLIENT_SIGNING_KEY_PATH');
  if (missing.length > 0 || !domain || !clientId) {
    throw new TargetConfigError(
      `--env ${options.env}: partial tenant configuration (set: ${present.join(', ')}; missing: ${missing.join(', ')}). ` +
        'Refusing to guess a target.',
    );
  }
  if (/^[a-z]+:\/\//i.test(domain) || /[/?#]/.test(domain)) {
    throw new TargetConfigError(
      `AUTH0_DOMAIN must be a bare host (e.g. my-bank-dev.eu.auth0.com), got "${domain}"`,
    );
  }
  const target: Target = { domain, env: options.env, clientId, source: 'environment' };
  if (clientSecret) target.clientSecret = clientSecret;
  else if (keyPath) {
    try {
      target.clientAssertionSigningKey = readFileSync(keyPath, 'utf8');
    } catch (error) {
      throw new TargetConfigError(
        `AUTH0_CLIENT_SIGNING_KEY_PATH: cannot read ${keyPath} (${error instanceof Error ? error.message : String(error)})`,
      );
    }
  }
  const caPath = value('NODE_EXTRA_CA_CERTS');
  if (caPath) {
    try {
      target.caCertPem = readFileSync(caPath, 'utf8');
    } catch {
      // Node itself reports an unreadable NODE_EXTRA_CA_CERTS at start-up; nothing to add here.
    }
  }
  await checkResolvable(domain, options.lookupHost ?? ((hostname) => lookup(hostname)));
  return target;
}

/**
 * A domain that does not resolve fails the same way on every request: say so in a second, before the Actions are
 * bundled and the config is read, instead of after the first request's timeouts.
 */
async function checkResolvable(
  domain: string,
  lookupHost: (hostname: string) => Promise<unknown>,
): Promise<void> {
  const hostname = new URL(`https://${domain}`).hostname;
  if (isIP(hostname.replace(/^\[|\]$/g, '')) || hostname === 'localhost') return;
  try {
    await lookupHost(hostname);
  } catch (error) {
    const failure = classifyNetworkError(error);
    if (failure.kind === 'dns')
      throw new TargetConfigError(`AUTH0_DOMAIN: ${describeNetworkFailure(failure, hostname)}`);
    // Anything else (no resolver at all?) is left to the requests, which report it with the same classification.
  }
}
