// Public entry point: start an offline, Auth0-compatible tenant over HTTPS on 127.0.0.1.
import { join, resolve } from 'node:path';
import { createContextUrls, type TenantContext } from './context.js';
import { TenantStore } from './state/store.js';
import { SigningKeys } from './keys.js';
import { RequestLog } from './ops/request-log.js';
import { RateLimiter, type RateLimitConfig, type RateLimitPreset } from './ops/rate-limit.js';
import { FaultInjector, type FaultRuleInput } from './ops/faults.js';
import type { AuthRuntime } from './authentication/index.js';
import { settingsFromEnvironment } from './config.js';
import {
  ActionBuilds,
  defaultBuildTimings,
  type ActionBuildTimings,
} from './management/action-builds.js';
import { ensureTlsMaterial } from './tls.js';
import { buildServer } from './server.js';
import { ensureBootstrap, type BootstrapCredentials } from './bootstrap.js';
import { errorCode, tcpPort } from '../lib/guards.js';

export interface StartLocalTenantOptions {
  /** 0 = random free port; default 8443. */
  port?: number;
  /** State, CA and logs; default '.local-tenant'. */
  stateDir?: string;
  /** Wipe persisted state first. */
  reset?: boolean;
  /** false = in-memory state only (tests). Default true. */
  persist?: boolean;
  /** Directory of the CA and server certificate; default stateDir. Tests share one stable CA. */
  caDir?: string;
  /** Management API token bucket; default off. */
  rateLimit?: RateLimitConfig | RateLimitPreset;
  /** Fault rules active from the start (also read from LOCAL_TENANT_FAULTS as a JSON array). */
  faults?: FaultRuleInput[];
  /** Action build delays (pending → building → built). */
  actionBuildTimings?: ActionBuildTimings;
  /** The post-login Actions' execution budget per trigger run; default 20 s (also LOCAL_TENANT_ACTION_TIMEOUT_MS). */
  actionTimeoutMs?: number;
  /** Copy the Actions' console output to stderr (also LOCAL_TENANT_ACTION_LOGS=1). */
  actionLogs?: boolean;
}

export interface LocalTenant {
  /** '127.0.0.1:PORT' — the value for AUTH0_DOMAIN. */
  domain: string;
  /** 'https://127.0.0.1:PORT' */
  baseUrl: string;
  port: number;
  caCertPem: string;
  caCertPath: string;
  /** Management API client (all scopes). */
  bootstrap: BootstrapCredentials;
  store: TenantStore;
  requestLog: RequestLog;
  faults: FaultInjector;
  rateLimiter: RateLimiter;
  /** Lower-level handle (keys, store, URLs) shared by the API plugins. */
  context: TenantContext;
  /** The Authentication API's runtime (records, refresh tokens, OTP lockout, grant registry). */
  authentication: AuthRuntime;
  close(): Promise<void>;
}

export async function startLocalTenant(
  options: StartLocalTenantOptions = {},
): Promise<LocalTenant> {
  const stateDir = resolve(options.stateDir ?? '.local-tenant');
  const persist = options.persist ?? true;
  const environment = settingsFromEnvironment();
  const tls = await ensureTlsMaterial(resolve(options.caDir ?? stateDir));
  const store = new TenantStore({ stateDir, persist, reset: options.reset ?? false });
  const faults = new FaultInjector();
  for (const rule of [...(options.faults ?? []), ...environment.faults]) faults.add(rule);

  let port = 0;
  let bootstrap: BootstrapCredentials = { clientId: '', clientSecret: '' };
  const context: TenantContext = Object.assign(
    createContextUrls(() => port),
    {
      store,
      keys: new SigningKeys(store),
      requestLog: new RequestLog(persist ? join(stateDir, 'requests.jsonl') : undefined),
      rateLimiter: new RateLimiter(options.rateLimit),
      faults,
      actionBuilds: new ActionBuilds(store, options.actionBuildTimings ?? defaultBuildTimings),
      adminSecret: () => bootstrap.clientSecret,
    },
  );

  const actionTimeoutMs = options.actionTimeoutMs ?? environment.actionTimeoutMs;
  const app = await buildServer(
    context,
    { key: tls.serverKeyPem, cert: tls.serverCertPem },
    {
      ...(actionTimeoutMs ? { actionTimeoutMs } : {}),
      actionLogs: options.actionLogs ?? environment.actionLogs,
    },
  );
  try {
    await app.listen({ host: '127.0.0.1', port: options.port ?? 8443 });
  } catch (error) {
    await app.close();
    context.actionBuilds.close();
    if (errorCode(error) === 'EADDRINUSE') {
      throw new Error(
        `Local tenant: port ${options.port ?? 8443} on 127.0.0.1 is already in use (pass another port, or 0 for a random one)`,
      );
    }
    throw error;
  }
  port = tcpPort(app.server.address());
  bootstrap = ensureBootstrap(context);
  context.actionBuilds.resumeUnfinished();

  return {
    domain: context.domain,
    baseUrl: context.baseUrl,
    port,
    caCertPem: tls.caCertPem,
    caCertPath: tls.caCertPath,
    bootstrap,
    store,
    requestLog: context.requestLog,
    faults,
    rateLimiter: context.rateLimiter,
    context,
    authentication: app.authentication,
    async close() {
      context.actionBuilds.close();
      await app.close();
    },
  };
}

export type { TenantContext } from './context.js';
export type { RequestLogEntry, RequestLogSummary } from './ops/request-log.js';
export type { FaultRuleInput } from './ops/faults.js';
export type { RateLimitConfig, RateLimitPreset } from './ops/rate-limit.js';
export type { GrantHandler, GrantRequest, TokenResponse } from './authentication/grants.js';
export { authenticateClient } from './authentication/client-auth.js';
