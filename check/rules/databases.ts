// Database connections: password policy, history, personal information, brute-force protection.
import { isRecord } from '../../lib/guards.js';
import type { Hit, Rule } from '../types.js';
import { databasesOf } from './walk.js';

const WEAK_POLICIES = new Set(['none', 'low', 'fair']);

function option(options: Record<string, unknown> | undefined, key: string): unknown {
  return options?.[key];
}

const passwordPolicy: Rule = {
  id: 'databases.password-policy',
  severity: 'error',
  area: 'databases',
  title: 'Password strength is "good" or "excellent"',
  why: 'Weak password policies let users pick passwords that credential-stuffing lists guess in minutes.',
  fix: 'Set options.passwordPolicy: good (or excellent) on the database connection.',
  docs: 'https://auth0.com/docs/authenticate/database-connections/password-strength',
  checkmate: 'checkPasswordPolicy / checkPasswordComplexity',
  run(input) {
    return databasesOf(input).flatMap(({ database, path, resource }): Hit[] => {
      const policy = option(database.options, 'passwordPolicy');
      if (policy === undefined)
        return [
          {
            path,
            resource,
            severity: 'warning',
            message: 'options.passwordPolicy is not set (the connection default applies)',
          },
        ];
      return typeof policy === 'string' && WEAK_POLICIES.has(policy)
        ? [
            {
              path: [...path, 'options', 'passwordPolicy'],
              resource,
              message: `password policy is "${policy}"`,
            },
          ]
        : [];
    });
  },
};

const passwordHistory: Rule = {
  id: 'databases.password-history',
  severity: 'info',
  area: 'databases',
  title: 'Password history prevents reuse',
  why: 'Without history, a user forced to reset after a breach can set the breached password again.',
  fix: 'Set options.password_history: { enable: true, size: 5 }.',
  docs: 'https://auth0.com/docs/authenticate/database-connections/password-options',
  checkmate: 'checkPasswordHistory',
  run(input) {
    return databasesOf(input).flatMap(({ database, path, resource }): Hit[] => {
      const history = option(database.options, 'password_history');
      return isRecord(history) && history.enable === true
        ? []
        : [{ path: [...path, 'options'], resource, message: 'password history is off' }];
    });
  },
};

const personalInfo: Rule = {
  id: 'databases.password-personal-info',
  severity: 'info',
  area: 'databases',
  title: 'Passwords may not contain the user’s personal data',
  why: 'Passwords built from a name or email are the first ones an attacker tries.',
  fix: 'Set options.password_no_personal_info: { enable: true }.',
  docs: 'https://auth0.com/docs/authenticate/database-connections/password-options',
  checkmate: 'checkPasswordNoPersonalInfo',
  run(input) {
    return databasesOf(input).flatMap(({ database, path, resource }): Hit[] => {
      const setting = option(database.options, 'password_no_personal_info');
      return isRecord(setting) && setting.enable === true
        ? []
        : [
            {
              path: [...path, 'options'],
              resource,
              message: 'passwords may contain personal data',
            },
          ];
    });
  },
};

const bruteForce: Rule = {
  id: 'databases.brute-force',
  severity: 'error',
  area: 'databases',
  title: 'Brute-force protection is on for the connection',
  why: 'Without it an attacker can try passwords against one account without limit.',
  fix: 'Set options.brute_force_protection: true.',
  docs: 'https://auth0.com/docs/secure/attack-protection/brute-force-protection',
  checkmate: 'checkBruteForce',
  run(input) {
    return databasesOf(input).flatMap(({ database, path, resource }): Hit[] =>
      option(database.options, 'brute_force_protection') === false
        ? [
            {
              path: [...path, 'options', 'brute_force_protection'],
              resource,
              message: 'brute-force protection is off',
            },
          ]
        : [],
    );
  },
};

export const databaseRules: Rule[] = [passwordPolicy, passwordHistory, personalInfo, bruteForce];
