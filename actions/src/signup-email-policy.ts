// pre-user-registration: refuse signups without a usable email or from disposable-mailbox domains (plus the
// BLOCKED_EMAIL_DOMAINS secret), and start every new customer with KYC pending in app_metadata.
import type { OnExecutePreUserRegistration } from '../types/pre-user-registration.js';
import {
  DISPOSABLE_EMAIL_DOMAINS,
  emailVerdict,
  parseDomainList,
} from './lib/email-domain-policy.js';

export const onExecutePreUserRegistration: OnExecutePreUserRegistration = async (event, api) => {
  const blocked = [
    ...DISPOSABLE_EMAIL_DOMAINS,
    ...parseDomainList(event.secrets.BLOCKED_EMAIL_DOMAINS),
  ];
  const verdict = emailVerdict(event.user.email, blocked);
  if (!verdict.allowed && verdict.why === 'blocked') {
    console.log(`signup refused: disposable email domain ${verdict.domain}`);
    api.access.deny(
      'disposable_email_domain',
      'Please sign up with a permanent email address; we cannot open an account for this one.',
    );
    return;
  }
  if (!verdict.allowed) {
    api.validation.error('invalid_email', 'Please enter a valid email address.');
    return;
  }
  api.user.setAppMetadata('kyc_status', 'pending');
};
