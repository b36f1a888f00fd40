// The Actions and the API must agree on how fresh an MFA has to be to move money: an MFA the evidence Action still
// accepts must give a token the API still accepts, and the reverse. Both read STEP_UP_MAX_AGE_SECONDS from
// lib/banking-api-contract.ts; this test pins the behaviour at the literal boundary on both sides.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { onExecutePostLogin as evidence } from '../../actions/src/step-up-evidence.js';
import { authMethod, buildPostLoginEvent, createApiRecorder } from '../../actions/testkit/index.js';
import { requireStepUp } from '../../banking-api/authorization.js';
import type { Principal } from '../../banking-api/principal.js';
import * as contract from '../../lib/banking-api-contract.js';

const AUDIENCE = 'https://my-banking-api';
const NOW_MS = 1_800_000_000_000;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW_MS);
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

async function actionAccepts(mfaAgeSeconds: number): Promise<boolean> {
  const recorder = createApiRecorder(['view:balance', 'transfer:funds']);
  const event = buildPostLoginEvent({
    transaction: { requested_scopes: ['transfer:funds'], acr_values: [contract.MFA_ACR_VALUE] },
    authentication: { methods: [authMethod('mfa', mfaAgeSeconds, 'otp')] },
  });
  await evidence(event, recorder.api);
  return recorder.accessToken.scopes.includes('transfer:funds');
}

function apiAccepts(tokenAgeSeconds: number): boolean {
  const principal: Principal = {
    subject: 'auth0|u',
    callerId: 'auth0|u',
    callerType: 'user',
    scopes: new Set(['transfer:funds']),
    claims: { [`${AUDIENCE}/amr`]: ['mfa'] },
    issuedAt: NOW_MS / 1000 - tokenAgeSeconds,
    source: 'jwt',
  };
  try {
    requireStepUp(principal, AUDIENCE, NOW_MS / 1000);
    return true;
  } catch {
    return false;
  }
}

describe('step-up freshness window', () => {
  it('is 300 s, defined once in the banking API contract', () => {
    expect(contract.STEP_UP_MAX_AGE_SECONDS).toBe(300);
  });

  it.each([
    [0, true],
    [299, true],
    [300, true],
    [301, false],
    [3400, false],
  ])('an MFA / a token %i s old: Action and API both say %s', async (age, accepted) => {
    expect(await actionAccepts(age)).toBe(accepted);
    expect(apiAccepts(age)).toBe(accepted);
  });
});
