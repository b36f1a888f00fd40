// Post-login Action 1 of 2: step-up MFA before the banking API may receive transfer:funds.
// Challenges with any enrolled factor when a listed client asks for transfer:funds in a browser flow, and strips
// the scope wherever MFA cannot happen in this transaction. The evidence claim is set by `step-up-evidence`,
// bound right after this Action: only an Action that starts after the challenge sees its result.
import type { MfaFactor, OnExecutePostLogin } from '../types/post-login.js';
import { TRANSFER_FUNDS_SCOPE } from './lib/banking-api.js';
import { decideStepUp } from './lib/step-up-policy.js';

// Every factor type; Auth0 ignores the ones not enabled on the tenant or not enrolled by the user.
const ANY_ENROLLED_FACTOR: MfaFactor[] = [
  { type: 'push-notification', options: { otpFallback: true } },
  { type: 'otp' },
  { type: 'webauthn-roaming' },
  { type: 'webauthn-platform' },
  { type: 'phone', options: { preferredMethod: 'both' } },
  { type: 'email' },
  { type: 'recovery-code' },
];

// challengeWithAny rather than multifactor.enable('any', {allowRememberBrowser: false}): enable is deferred to the
// end of the flow, so `step-up-evidence` could never see its result; calling both risks a second prompt. A
// remembered browser cannot produce transfer:funds anyway: `step-up-evidence` only accepts an MFA completed in
// this transaction.
export const onExecutePostLogin: OnExecutePostLogin = async (event, api) => {
  const decision = decideStepUp(event, Date.now());
  if (decision.kind === 'challenge') {
    api.authentication.challengeWithAny(ANY_ENROLLED_FACTOR);
  } else if (decision.kind === 'remove-transfer') {
    api.accessToken.removeScope(TRANSFER_FUNDS_SCOPE);
    console.log(`step-up-challenge: removed ${TRANSFER_FUNDS_SCOPE}: ${decision.reason}`);
  }
};
