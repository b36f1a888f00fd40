// Everything a route needs about the running tenant, passed to every plugin.
import type { SigningKeys } from './keys.js';
import type { TenantStore } from './state/store.js';
import type { RequestLog } from './ops/request-log.js';
import type { RateLimiter } from './ops/rate-limit.js';
import type { FaultInjector } from './ops/faults.js';
import type { ActionBuilds } from './management/action-builds.js';

export interface TenantContext {
  /** '127.0.0.1:PORT' — known once the server listens. */
  readonly domain: string;
  readonly baseUrl: string;
  /** `https://DOMAIN/` — iss of every token and aud of client assertions. */
  readonly issuer: string;
  /** `https://DOMAIN/api/v2/` */
  readonly managementAudience: string;
  readonly store: TenantStore;
  readonly keys: SigningKeys;
  readonly requestLog: RequestLog;
  readonly rateLimiter: RateLimiter;
  readonly faults: FaultInjector;
  readonly actionBuilds: ActionBuilds;
  /** Shared secret for /__local-tenant admin endpoints (the bootstrap client's secret). */
  readonly adminSecret: () => string;
}

export function createContextUrls(getPort: () => number) {
  return {
    get domain() {
      return `127.0.0.1:${getPort()}`;
    },
    get baseUrl() {
      return `https://127.0.0.1:${getPort()}`;
    },
    get issuer() {
      return `https://127.0.0.1:${getPort()}/`;
    },
    get managementAudience() {
      return `https://127.0.0.1:${getPort()}/api/v2/`;
    },
  };
}
