// MFA factors and the tenant MFA policy.
import type { Hit, Rule } from '../types.js';

const factorRule: Rule = {
  id: 'mfa.factors',
  severity: 'warning',
  area: 'mfa',
  title: 'Second factors are phishing-resistant or app-based, not email or SMS',
  why: 'Email is also the password-reset channel, so whoever holds the inbox passes both steps; SMS can be redirected by SIM swap.',
  fix: 'Disable email (and prefer OTP, push or WebAuthn over SMS) in guardianFactors.',
  docs: 'https://auth0.com/docs/secure/multi-factor-authentication/multi-factor-authentication-factors',
  checkmate: 'checkGuardianFactors',
  run(input) {
    return (input.sections.guardianFactors ?? []).flatMap((factor, index): Hit[] => {
      if (!factor.enabled) return [];
      const path = ['guardianFactors', index, 'enabled'];
      const resource = `MFA factor "${factor.name}"`;
      if (factor.name === 'email')
        return [{ path, resource, message: 'email is enabled as a second factor' }];
      if (factor.name === 'sms')
        return [
          {
            path,
            resource,
            severity: 'info',
            message: 'SMS is enabled as a second factor (SIM-swap risk)',
          },
        ];
      return [];
    });
  },
};

const policyRule: Rule = {
  id: 'mfa.policy',
  severity: 'warning',
  area: 'mfa',
  title: 'MFA is required by a policy or by a post-login Action',
  why: 'With the policy set to "Never" and no post-login Action, nobody is ever asked for a second factor.',
  fix: 'Bind a post-login Action that challenges MFA, or set guardianPolicies.policies to [all-applications].',
  docs: 'https://auth0.com/docs/secure/multi-factor-authentication/enable-mfa',
  checkmate: 'checkGuardianPolicy',
  run(input) {
    const policies = input.sections.guardianPolicies?.policies;
    const postLogin = input.sections.triggers?.['post-login'] ?? [];
    if (policies === undefined || policies.length > 0 || postLogin.length > 0) return [];
    return [
      {
        path: ['guardianPolicies', 'policies'],
        resource: 'MFA policy',
        message: 'the MFA policy is "Never" and no post-login Action is bound',
      },
    ];
  },
};

export const mfaRules: Rule[] = [factorRule, policyRule];
