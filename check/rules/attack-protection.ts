// Attack protection, from auth0-deploy-cli's `attackProtection` section (handed to its import unchanged).
import { isRecord } from '../../lib/guards.js';
import type { Hit, Rule } from '../types.js';

const features = [
  {
    key: 'bruteForceProtection',
    id: 'attack-protection.brute-force',
    severity: 'error',
    title: 'Brute-force protection is enabled',
    why: 'It blocks an IP address after repeated failed logins to one account.',
    docs: 'https://auth0.com/docs/secure/attack-protection/brute-force-protection',
    checkmate: 'checkBruteForce',
  },
  {
    key: 'breachedPasswordDetection',
    id: 'attack-protection.breached-passwords',
    severity: 'warning',
    title: 'Breached password detection is enabled',
    why: 'It stops logins and signups with passwords known from public breaches.',
    docs: 'https://auth0.com/docs/secure/attack-protection/breached-password-detection',
    checkmate: 'checkBreachedPassword',
  },
  {
    key: 'suspiciousIpThrottling',
    id: 'attack-protection.suspicious-ip',
    severity: 'warning',
    title: 'Suspicious IP throttling is enabled',
    why: 'It slows credential stuffing from one address across many accounts.',
    docs: 'https://auth0.com/docs/secure/attack-protection/suspicious-ip-throttling',
    checkmate: 'checkSuspiciousIPThrottling',
  },
] as const;

export const attackProtectionRules: Rule[] = features.map((feature) => ({
  id: feature.id,
  severity: feature.severity,
  area: 'attack-protection',
  title: feature.title,
  why: feature.why,
  fix: `Manage attackProtection.${feature.key} in tenant.yaml with enabled: true.`,
  docs: feature.docs,
  checkmate: feature.checkmate,
  run(input): Hit[] {
    const section = input.passthrough.attackProtection;
    if (section === undefined)
      return [
        {
          path: [],
          resource: 'attack protection',
          severity: 'info',
          message: `attackProtection.${feature.key} is not managed in tenant.yaml, so this check cannot see it`,
        },
      ];
    const setting = isRecord(section) ? section[feature.key] : undefined;
    return isRecord(setting) && setting.enabled === true
      ? []
      : [
          {
            path: ['attackProtection', feature.key],
            resource: 'attack protection',
            message: `${feature.key} is not enabled`,
          },
        ];
  },
}));
