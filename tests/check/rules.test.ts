// Every rule of `npm run check`, failing on a minimal variant of the real tenant/ and passing on the real one, with
// the finding placed on the line a reviewer must change (tenant.yaml or the env file the value comes from).
import { afterAll, describe, expect, it } from 'vitest';
import { loadDesiredForCheck } from '../../check/desired.js';
import { rules } from '../../check/rules/index.js';
import { runChecks } from '../../check/run.js';
import type { Report } from '../../check/run.js';
import { CheckFixture, type Variant } from './fixture.js';

const fixture = new CheckFixture();
afterAll(() => fixture.remove());

const mappings = (json: { AUTH0_KEYWORD_REPLACE_MAPPINGS: Record<string, unknown> }) =>
  json.AUTH0_KEYWORD_REPLACE_MAPPINGS;
const firstDatabase = (json: { AUTH0_KEYWORD_REPLACE_MAPPINGS: Record<string, unknown> }) =>
  (mappings(json).DATABASES as { options: Record<string, unknown> }[])[0]!;

interface Case {
  rule: string;
  env: string;
  variant: Variant;
  /** Text the finding's line must contain; null when the finding has no line. */
  line: string | null;
  severity?: 'error' | 'warning' | 'info';
  /** The configuration loader already refuses this variant (file and line); the rule covers live tenants. */
  configError?: string;
}

const cases: Case[] = [
  // step-up purpose
  {
    rule: 'step-up.actions-bound',
    env: 'prod',
    variant: { yaml: (t) => t.replace(/ {4}- \{ action_name: step-up-challenge.*\n/, '') },
    line: 'post-login:',
    configError: 'bind step-up-challenge then step-up-evidence, in this order',
  },
  {
    rule: 'step-up.actions-bound',
    env: 'prod',
    variant: {
      yaml: (t) =>
        t.replace(
          /( {4}- \{ action_name: step-up-challenge.*\n)( {4}- \{ action_name: step-up-evidence.*\n)/,
          '$2$1',
        ),
    },
    line: 'action_name: step-up-evidence',
    configError: 'bind step-up-challenge then step-up-evidence, in this order',
  },
  {
    rule: 'step-up.actions-bound',
    env: 'prod',
    variant: { yaml: (t) => t.replace('    deployed: true\n', '    deployed: false\n') },
    line: 'deployed: false',
  },
  {
    rule: 'step-up.client-list',
    env: 'prod',
    variant: {
      yaml: (t) => t.replace("'{{clientIds: Banking SPA}}'", "'{{clientIds: Banking Partner}}'"),
    },
    line: 'STEP_UP_CLIENT_IDS',
  },
  {
    rule: 'step-up.api-identifier',
    env: 'prod',
    variant: {
      yaml: (t) => t.replace('value: https://my-banking-api }', 'value: https://my-banking-api/ }'),
    },
    line: 'BANKING_API_IDENTIFIER',
    configError: 'is not the identifier of an API in resourceServers',
  },
  {
    rule: 'step-up.factor-enabled',
    env: 'prod',
    variant: {
      yaml: (t) => t.replace('{ name: otp, enabled: true }', '{ name: email, enabled: true }'),
    },
    line: 'guardianFactors:',
  },
  {
    rule: 'step-up.no-m2m-transfer',
    env: 'prod',
    variant: {
      yaml: (t) => t.replace('scope: [view:balance]', 'scope: [view:balance, transfer:funds]'),
    },
    line: 'transfer:funds',
  },
  // clients
  {
    rule: 'clients.callbacks',
    env: 'prod',
    variant: {
      env: (j) =>
        void (mappings(j).SPA_CALLBACKS = [
          'https://banking.example.com',
          'https://*.example.com/callback',
        ]),
    },
    line: 'https://*.example.com/callback',
  },
  {
    rule: 'clients.callbacks',
    env: 'staging',
    variant: { env: (j) => void (mappings(j).SPA_CALLBACKS = ['http://localhost:3000/callback']) },
    line: 'http://localhost:3000/callback',
  },
  {
    rule: 'clients.logout-urls',
    env: 'prod',
    variant: {
      yaml: (t) =>
        t.replace(
          'allowed_logout_urls: @@SPA_ORIGINS@@',
          'allowed_logout_urls: [http://banking.example.com]',
        ),
    },
    line: 'allowed_logout_urls',
  },
  {
    rule: 'clients.web-origins',
    env: 'prod',
    variant: {
      yaml: (t) =>
        t.replace('web_origins: @@SPA_ORIGINS@@', 'web_origins: [https://127.0.0.1:3000]'),
    },
    line: 'web_origins',
  },
  {
    rule: 'clients.allowed-origins',
    env: 'prod',
    variant: {
      yaml: (t) =>
        t.replace('allowed_origins: @@SPA_ORIGINS@@', "allowed_origins: ['https://*.example.com']"),
    },
    line: 'allowed_origins',
  },
  {
    rule: 'clients.grant-types',
    env: 'prod',
    variant: {
      yaml: (t) =>
        t.replace(
          'grant_types: [authorization_code, refresh_token]',
          'grant_types: [authorization_code, refresh_token, password]',
        ),
    },
    line: 'grant_types',
  },
  {
    rule: 'clients.public-pkce',
    env: 'prod',
    variant: {
      yaml: (t) =>
        t.replace(
          'token_endpoint_auth_method: none',
          'token_endpoint_auth_method: client_secret_post',
        ),
    },
    line: 'token_endpoint_auth_method: client_secret_post',
  },
  {
    rule: 'clients.jwt-alg',
    env: 'prod',
    variant: {
      yaml: (t) =>
        t.replace('jwt_configuration: { alg: RS256 }', 'jwt_configuration: { alg: HS256 }'),
    },
    line: 'alg: HS256',
  },
  {
    rule: 'clients.refresh-token',
    env: 'prod',
    variant: { yaml: (t) => t.replace('rotation_type: rotating', 'rotation_type: non-rotating') },
    line: 'rotation_type: non-rotating',
  },
  {
    rule: 'clients.refresh-token',
    env: 'prod',
    variant: {
      yaml: (t) => t.replace('expiration_type: expiring', 'expiration_type: non-expiring'),
    },
    line: 'expiration_type: non-expiring',
  },
  {
    rule: 'clients.cross-origin-auth',
    env: 'prod',
    variant: {
      yaml: (t) =>
        t.replace(
          '    oidc_conformant: true\n',
          '    oidc_conformant: true\n    cross_origin_authentication: true\n',
        ),
    },
    line: 'cross_origin_authentication: true',
  },
  {
    rule: 'clients.private-key-jwt',
    env: 'prod',
    variant: { waivers: 'waivers: []\n' },
    line: 'token_endpoint_auth_method: client_secret_post',
  },
  {
    rule: 'clients.login-uri',
    env: 'prod',
    variant: {
      yaml: (t) =>
        t.replace(
          '    app_type: spa\n',
          '    app_type: spa\n    initiate_login_uri: http://banking.example.com/login\n',
        ),
    },
    line: 'initiate_login_uri',
  },
  {
    rule: 'clients.oidc-conformant',
    env: 'prod',
    variant: { yaml: (t) => t.replace('oidc_conformant: true', 'oidc_conformant: false') },
    line: 'oidc_conformant: false',
  },
  // APIs
  {
    rule: 'apis.signing-alg',
    env: 'prod',
    variant: { yaml: (t) => t.replace('signing_alg: RS256', 'signing_alg: HS256') },
    line: 'signing_alg: HS256',
  },
  {
    rule: 'apis.token-lifetime',
    env: 'prod',
    variant: {
      yaml: (t) =>
        t.replace('token_lifetime: 3600\n    allow', 'token_lifetime: 604800\n    allow'),
    },
    line: 'token_lifetime: 604800',
  },
  {
    rule: 'apis.management-api-grants',
    env: 'prod',
    variant: {
      yaml: (t) => t.replace('scope: [read:users,', 'scope: [update:clients, read:users,'),
    },
    line: 'update:clients',
  },
  // tenant settings
  {
    rule: 'tenant.default-audience',
    env: 'prod',
    variant: {
      yaml: (t) =>
        `${t}\ntenant:\n  default_audience: https://my-banking-api\n  support_email: a@example.com\n  support_url: https://example.com\n`,
    },
    line: 'default_audience',
  },
  {
    rule: 'tenant.default-directory',
    env: 'prod',
    variant: {
      yaml: (t) =>
        `${t}\ntenant:\n  default_directory: Banking-Users\n  support_email: a@example.com\n  support_url: https://example.com\n`,
    },
    line: 'default_directory',
  },
  {
    rule: 'tenant.session-lifetime',
    env: 'prod',
    variant: {
      yaml: (t) =>
        `${t}\ntenant:\n  session_lifetime: 720\n  support_email: a@example.com\n  support_url: https://example.com\n`,
    },
    line: 'session_lifetime: 720',
  },
  {
    rule: 'tenant.support-contact',
    env: 'prod',
    variant: { yaml: (t) => `${t}\ntenant:\n  friendly_name: Bank\n` },
    line: 'tenant:',
  },
  // MFA
  {
    rule: 'mfa.factors',
    env: 'prod',
    variant: {
      yaml: (t) =>
        t.replace(
          '  - { name: otp, enabled: true }\n',
          '  - { name: otp, enabled: true }\n  - { name: email, enabled: true }\n',
        ),
    },
    line: 'name: email',
  },
  {
    rule: 'mfa.policy',
    env: 'prod',
    variant: { yaml: (t) => t.replace(/ {2}post-login:\n.*\n.*\n/, '') },
    line: 'policies: []',
  },
  // databases (their values come from the env file)
  {
    rule: 'databases.password-policy',
    env: 'dev',
    variant: { env: (j) => void (firstDatabase(j).options.passwordPolicy = 'low') },
    line: '"passwordPolicy": "low"',
  },
  {
    rule: 'databases.password-history',
    env: 'dev',
    variant: {},
    line: '"options"',
  },
  {
    rule: 'databases.password-personal-info',
    env: 'dev',
    variant: {},
    line: '"options"',
  },
  {
    rule: 'databases.brute-force',
    env: 'dev',
    variant: { env: (j) => void (firstDatabase(j).options.brute_force_protection = false) },
    line: '"brute_force_protection": false',
  },
  // attack protection
  ...(['brute-force', 'breached-passwords', 'suspicious-ip'] as const).map((name): Case => ({
    rule: `attack-protection.${name}`,
    env: 'prod',
    variant: {
      yaml: (t) =>
        `${t}\nattackProtection:\n  bruteForceProtection: { enabled: ${name !== 'brute-force'} }\n  breachedPasswordDetection: { enabled: ${name !== 'breached-passwords'} }\n  suspiciousIpThrottling: { enabled: ${name !== 'suspicious-ip'} }\n`,
    },
    line:
      name === 'brute-force'
        ? 'bruteForceProtection'
        : name === 'breached-passwords'
          ? 'breachedPasswordDetection'
          : 'suspiciousIpThrottling',
  })),
  // actions
  {
    rule: 'actions.runtime',
    env: 'prod',
    variant: { yaml: (t) => t.replace('runtime: node22', 'runtime: node16') },
    line: 'runtime: node16',
    severity: 'error',
  },
  {
    rule: 'actions.hard-coded-secrets',
    env: 'prod',
    variant: {
      yaml: (t) =>
        t.replace(
          '      - { name: BANKING_API_IDENTIFIER',
          '      - { name: PARTNER_API_KEY, value: sk_live_0123456789 }\n      - { name: BANKING_API_IDENTIFIER',
        ),
    },
    line: 'PARTNER_API_KEY',
  },
  {
    rule: 'actions.dependencies',
    env: 'prod',
    variant: {
      yaml: (t) =>
        t.replace(
          '    runtime: node22\n',
          '    runtime: node22\n    dependencies: [{ name: lodash, version: latest }]\n',
        ),
    },
    line: 'lodash',
  },
  {
    rule: 'actions.bound-deployed',
    env: 'prod',
    variant: { yaml: (t) => t.replace('    deployed: true\n', '    deployed: false\n') },
    line: 'deployed: false',
  },
];

function findingsOf(report: Report, rule: string) {
  return report.findings.filter((finding) => finding.ruleId === rule && !finding.waived);
}

describe('each rule fails on a minimal variant and passes on the real configuration', () => {
  it.each(cases)('$rule ($env): $line', ({ rule, env, variant, line, severity, configError }) => {
    if (configError) {
      expect(() => fixture.check(env, variant)).toThrow(configError);
      return;
    }
    const baseline = findingsOf(fixture.check(env), rule).filter((f) => f.severity !== 'info');
    const checked = fixture.check(env, variant);
    const found = findingsOf(checked, rule);
    if (Object.keys(variant).length > 0) expect(baseline).toEqual([]);
    expect(found.length).toBeGreaterThan(0);
    if (severity) expect(found.map((f) => f.severity)).toContain(severity);
    const lines = found.map((f) => checked.lineText(f));
    if (line !== null) expect(lines.some((text) => text.includes(line))).toBe(true);
  });

  it('covers every rule', () => {
    const covered = new Set(cases.map((c) => c.rule));
    expect(rules.map((rule) => rule.id).filter((id) => !covered.has(id))).toEqual([]);
  });
});

describe('the project’s own tenant', () => {
  it.each(['local', 'dev', 'staging', 'prod'])('%s has no unwaived errors or warnings', (env) => {
    const open = fixture
      .check(env)
      .findings.filter((f) => !f.waived && f.severity !== 'info')
      .map((f) => `${f.ruleId} ${f.resource}: ${f.message}`);
    expect(open).toEqual([]);
  });

  it('password history and the personal-data rule pass once the connection enables them', () => {
    const checked = fixture.check('dev', {
      env: (j) => {
        firstDatabase(j).options.password_history = { enable: true, size: 5 };
        firstDatabase(j).options.password_no_personal_info = { enable: true };
      },
    });
    expect(findingsOf(checked, 'databases.password-history')).toEqual([]);
    expect(findingsOf(checked, 'databases.password-personal-info')).toEqual([]);
  });

  it('loopback and http callbacks are fine in local and dev, wildcards are not', () => {
    const dev = fixture.check('dev');
    expect(findingsOf(dev, 'clients.callbacks')).toEqual([]);
    const wildcard = fixture.check('dev', {
      env: (j) => void (mappings(j).SPA_CALLBACKS = ['http://127.0.0.1:3000', 'http://*.local/cb']),
    });
    expect(findingsOf(wildcard, 'clients.callbacks').map((f) => f.message)).toEqual([
      'callbacks has a wildcard: http://*.local/cb',
    ]);
  });
});

describe('rules the loader pre-empts for files still judge a live tenant', () => {
  const live = () => {
    const input = loadDesiredForCheck({
      tenantFile: 'tenant/tenant.yaml',
      env: 'prod',
      variables: {},
    });
    return { ...input, source: 'live' as const, locate: () => ({}) };
  };

  it('step-up.actions-bound: the evidence Action bound before the challenge', () => {
    const input = live();
    input.sections.triggers!['post-login']!.reverse();
    const found = runChecks(input, rules).findings.filter(
      (f) => f.ruleId === 'step-up.actions-bound',
    );
    expect(found.map((f) => f.message)).toEqual(['step-up-evidence runs before step-up-challenge']);
  });

  it('step-up.api-identifier: a trailing slash', () => {
    const input = live();
    const secret = input.sections.actions![0]!.secrets.find(
      (s) => s.name === 'BANKING_API_IDENTIFIER',
    )!;
    secret.value = 'https://my-banking-api/';
    const found = runChecks(input, rules).findings.filter(
      (f) => f.ruleId === 'step-up.api-identifier',
    );
    expect(found).toHaveLength(1);
  });
});
