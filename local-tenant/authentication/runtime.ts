// The Authentication API's runtime state for one tenant, created by the plugin and exposed on the Fastify
// instance as `app.authentication`: in-memory records, the persisted refresh tokens, the OTP lockout, the
// Actions cache and worker, and the grant registry of /oauth/token.
import type { TenantContext } from '../context.js';
import { ActionCacheRegistry } from '../actions-runtime/action-cache.js';
import { WorkerActionExecutor } from '../actions-runtime/executor.js';
import { AuthRecords } from './auth-records.js';
import { GrantRegistry } from './grants.js';
import { OtpAttemptGuard } from './otp-attempts.js';
import { RefreshTokenStore } from './refresh-tokens.js';

/** Settings of the Authentication API (from the local tenant's configuration). */
export interface AuthenticationSettings {
  /** Total Action execution budget per trigger run; Auth0's is 20 s. */
  actionTimeoutMs?: number;
  /** Copy the Actions' console output to stderr. */
  actionLogs?: boolean;
  /** Wrong OTP codes before the factor locks (default 5). */
  otpMaxFailures?: number;
}

export interface AuthRuntime {
  records: AuthRecords;
  refreshTokens: RefreshTokenStore;
  otpGuard: OtpAttemptGuard;
  actionCache: ActionCacheRegistry;
  actionTimeoutMs: number;
  /** Worker thread that runs the Actions (terminated when one overruns); stopped with the server. */
  executor: WorkerActionExecutor;
  /** /oauth/token dispatches on grant_type through this registry. */
  grants: GrantRegistry;
}

export function createAuthRuntime(
  tenant: TenantContext,
  settings: AuthenticationSettings = {},
): AuthRuntime {
  return {
    records: new AuthRecords(),
    refreshTokens: new RefreshTokenStore(tenant.store),
    otpGuard: new OtpAttemptGuard({
      maxFailures: settings.otpMaxFailures ?? 5,
      lockoutMs: 15 * 60 * 1000,
    }),
    actionCache: new ActionCacheRegistry(),
    actionTimeoutMs: settings.actionTimeoutMs ?? 20_000,
    executor: new WorkerActionExecutor({ actionLogs: settings.actionLogs === true }),
    grants: new GrantRegistry(),
  };
}
