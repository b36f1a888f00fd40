// Post-login Action 2 of 2, bound after `step-up-challenge`: when the token keeps transfer:funds, record the
// methods completed in this transaction as `<BANKING_API_IDENTIFIER>/amr` so the API can verify MFA happened
// instead of trusting the scope alone. Defence in depth: no MFA in this transaction → the scope goes.
import type { OnExecutePostLogin } from '../types/post-login.js';
import { TRANSFER_FUNDS_SCOPE } from './lib/banking-api.js';
import { decideStepUp } from './lib/step-up-policy.js';

export const onExecutePostLogin: OnExecutePostLogin = async (event, api) => {
  const decision = decideStepUp(event, Date.now());
  if (decision.kind === 'allow-transfer') {
    api.accessToken.setCustomClaim(decision.amrClaim, decision.methods);
  } else if (decision.kind !== 'not-applicable') {
    // 'challenge' here means the challenge Action did not run or the MFA it asked for is not in this transaction.
    const reason =
      decision.kind === 'challenge' ? 'no MFA completed in this transaction' : decision.reason;
    api.accessToken.removeScope(TRANSFER_FUNDS_SCOPE);
    console.log(`step-up-evidence: removed ${TRANSFER_FUNDS_SCOPE}: ${reason}`);
  }
};
