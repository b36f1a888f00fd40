// Post-login Action 2 of 2, bound after `step-up-challenge`: when the token may keep transfer:funds, record the
// methods completed in this login as `<BANKING_API_IDENTIFIER>/amr` so the API can verify MFA happened instead of
// trusting the scope alone. Defence in depth: no fresh MFA with a step-up factor → the scope goes.
import type { OnExecutePostLogin } from '../types/post-login.js';
import { TRANSFER_FUNDS_SCOPE, amrClaimName } from '../../lib/banking-api-contract.js';
import { stepUpEvidence, stepUpGate } from './lib/step-up-policy.js';

export const onExecutePostLogin: OnExecutePostLogin = async (event, api) => {
  const gate = stepUpGate(event);
  if (gate.kind === 'not-applicable') return;
  let reason: string;
  if (gate.kind === 'step-up') {
    // Stryker disable next-line ArrayDeclaration: equivalent — a fallback entry without name/timestamp is no evidence
    const methods = stepUpEvidence(event.authentication?.methods ?? [], Date.now());
    if (methods.includes('mfa')) {
      api.accessToken.setCustomClaim(amrClaimName(gate.bankingApi), methods);
      return;
    }
    // The challenge Action did not run, or the MFA is stale or used a factor that is not a step-up factor.
    reason = 'no step-up MFA completed in this transaction';
  } else reason = gate.reason;
  api.accessToken.removeScope(TRANSFER_FUNDS_SCOPE);
  console.log(`step-up-evidence: removed ${TRANSFER_FUNDS_SCOPE}: ${reason}`);
};
