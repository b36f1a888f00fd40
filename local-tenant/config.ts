// The local tenant's settings that may come from the environment, read and validated in one place when a tenant
// starts (explicit options to startLocalTenant take precedence; faults from both apply).
import { faultRuleSchema, type FaultRuleInput } from './ops/faults.js';
import { errorMessage } from '../lib/guards.js';

export interface EnvironmentSettings {
  /** LOCAL_TENANT_FAULTS: fault rules active from the start, as a JSON array. */
  faults: FaultRuleInput[];
  /** LOCAL_TENANT_ACTION_TIMEOUT_MS: the Actions' execution budget per trigger run (Auth0: 20 s). */
  actionTimeoutMs?: number;
  /** LOCAL_TENANT_ACTION_LOGS=1: copy the Actions' console output to stderr. */
  actionLogs: boolean;
}

export function settingsFromEnvironment(env: NodeJS.ProcessEnv = process.env): EnvironmentSettings {
  return {
    faults: faultsFrom(env.LOCAL_TENANT_FAULTS),
    actionLogs: env.LOCAL_TENANT_ACTION_LOGS === '1',
    ...(env.LOCAL_TENANT_ACTION_TIMEOUT_MS
      ? { actionTimeoutMs: positiveInteger(env.LOCAL_TENANT_ACTION_TIMEOUT_MS) }
      : {}),
  };
}

function faultsFrom(raw: string | undefined): FaultRuleInput[] {
  if (!raw) return [];
  try {
    return faultRuleSchema.array().parse(JSON.parse(raw));
  } catch (error) {
    throw new Error(
      `LOCAL_TENANT_FAULTS must be a JSON array of fault rules: ${errorMessage(error)}`,
    );
  }
}

function positiveInteger(raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(
      `LOCAL_TENANT_ACTION_TIMEOUT_MS must be a positive integer (milliseconds), got "${raw}"`,
    );
  return value;
}
