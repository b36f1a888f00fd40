// Post-login Action 1 of 2: step-up MFA before the banking API may receive transfer:funds.
// Challenges on EVERY login that may receive the scope — never skipped because an earlier MFA looks recent:
// Auth0 itself skips the prompt only when a matching factor was already completed in this transaction. Strips
// the scope wherever MFA cannot happen. The evidence claim is set by `step-up-evidence`, bound right after this
// Action: only an Action that starts after the challenge sees its result.
import type { OnExecutePostLogin } from '../types/post-login.js';
import { TRANSFER_FUNDS_SCOPE } from '../../lib/banking-api-contract.js';
import { STEP_UP_FACTORS, stepUpGate } from './lib/step-up-policy.js';

// challengeWithAny rather than multifactor.enable('any', {allowRememberBrowser: false}): only challengeWith* can
// leave email out, and enable is deferred to the end of the flow, where `step-up-evidence` cannot see it.
export const onExecutePostLogin: OnExecutePostLogin = async (event, api) => {
  const gate = stepUpGate(event);
  if (gate.kind === 'step-up') {
    api.authentication.challengeWithAny([...STEP_UP_FACTORS]);
  } else if (gate.kind === 'remove-transfer') {
    api.accessToken.removeScope(TRANSFER_FUNDS_SCOPE);
    console.log(`step-up-challenge: removed ${TRANSFER_FUNDS_SCOPE}: ${gate.reason}`);
  }
};
