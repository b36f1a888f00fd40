// The local tenant's environment settings: read and validated in one place, with errors naming the variable.
import { describe, expect, it } from 'vitest';
import { settingsFromEnvironment } from '../../local-tenant/config.js';

describe('settingsFromEnvironment', () => {
  it('has no faults, no timeout override and quiet Actions by default', () => {
    expect(settingsFromEnvironment({})).toEqual({ faults: [], actionLogs: false });
  });

  it('reads the fault rules, the Actions timeout and the Actions log switch', () => {
    const settings = settingsFromEnvironment({
      LOCAL_TENANT_FAULTS: JSON.stringify([{ path: '/api/v2/clients', status: 503 }]),
      LOCAL_TENANT_ACTION_TIMEOUT_MS: '1500',
      LOCAL_TENANT_ACTION_LOGS: '1',
    });
    expect(settings.faults).toHaveLength(1);
    expect(settings.faults[0]).toMatchObject({ path: '/api/v2/clients', status: 503 });
    expect(settings).toMatchObject({ actionTimeoutMs: 1500, actionLogs: true });
  });

  it('names the variable at fault', () => {
    expect(() => settingsFromEnvironment({ LOCAL_TENANT_ACTION_TIMEOUT_MS: '-3' })).toThrow(
      'LOCAL_TENANT_ACTION_TIMEOUT_MS must be a positive integer (milliseconds), got "-3"',
    );
    expect(() => settingsFromEnvironment({ LOCAL_TENANT_FAULTS: '{' })).toThrow(
      /^LOCAL_TENANT_FAULTS must be a JSON array of fault rules/,
    );
  });
});
