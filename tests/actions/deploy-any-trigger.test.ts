// tenant.yaml deploys and binds an Action of any trigger the same way as the post-login ones: the sample Actions
// of pre-user-registration, post-user-registration, post-change-password and send-phone-message, plus a post-login
// Action declaring an npm dependency, deployed to an in-process local tenant; a second deploy changes nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { lockedVersion } from '../../actions/build-config.js';
import { useLocalTenant } from '../helpers/local-tenant.js';
import { createWorkspace, deploy, writesIn, type Workspace } from '../deploy/helpers.js';

const MS_VERSION = lockedVersion(join(import.meta.dirname, '..', '..', 'package-lock.json'), 'ms')!;

const SAMPLES: [name: string, trigger: string, secrets: string][] = [
  [
    'signup-email-policy',
    'pre-user-registration',
    '{ name: BLOCKED_EMAIL_DOMAINS, value: rival-bank.example }',
  ],
  [
    'signup-notify',
    'post-user-registration',
    '{ name: BANK_EVENTS_URL, value: https://events.bank.example/v1 }',
  ],
  [
    'password-change-alert',
    'post-change-password',
    '{ name: BANK_EVENTS_URL, value: https://events.bank.example/v1 }',
  ],
  [
    'sms-gateway',
    'send-phone-message',
    '{ name: SMS_GATEWAY_URL, value: https://sms.bank.example/v1 }',
  ],
];

function withSamples(yaml: string): string {
  const actions = SAMPLES.map(
    ([name, trigger, secrets]) =>
      `  - name: ${name}\n    code: ../dist/actions/${name}.js\n    runtime: node22\n    deployed: true\n` +
      `    supported_triggers: [{ id: ${trigger}, version: v2 }]\n    secrets: [${secrets}]\n`,
  ).join('');
  const npmAction =
    '  - name: password-age-claim\n    code: ../dist/actions/password-age-claim.js\n    runtime: node22\n' +
    '    deployed: true\n    supported_triggers: [{ id: post-login, version: v3 }]\n' +
    `    dependencies: [{ name: ms, version: ${MS_VERSION} }]\n` +
    '    secrets: [{ name: BANKING_API_IDENTIFIER, value: https://my-banking-api }]\n';
  const bindings = SAMPLES.map(
    ([name, trigger]) => `  ${trigger}:\n    - { action_name: ${name}, display_name: ${name} }\n`,
  ).join('');
  return yaml
    .replace(/\ntriggers:\n/, `${actions}${npmAction}\ntriggers:\n${bindings}`)
    .replace(
      / {4}- \{ action_name: step-up-evidence, display_name: step-up-evidence \}\n/,
      '$&    - { action_name: password-age-claim, display_name: password-age-claim }\n',
    );
}

const fixture = useLocalTenant();
let workspace: Workspace;

beforeAll(async () => {
  workspace = await createWorkspace();
  workspace.edit(withSamples);
});

describe('deploying Actions of every trigger from tenant.yaml', () => {
  it('creates, deploys and binds each to its trigger, with the declared dependency', async () => {
    const outcome = await deploy(fixture.tenant, workspace);
    expect(outcome.result.verified).toBe(true);
    const { management } = fixture;
    for (const [name, trigger] of SAMPLES) {
      const bound = (await management.actions.triggers.bindings.list(trigger as 'post-login')).data;
      expect(
        bound.map((binding) => binding.action?.name),
        trigger,
      ).toEqual([name]);
    }
    const postLogin = (await management.actions.triggers.bindings.list('post-login')).data;
    expect(postLogin.map((binding) => binding.action?.name)).toEqual([
      'step-up-challenge',
      'step-up-evidence',
      'password-age-claim',
    ]);
    const actions = (await management.actions.list({ per_page: 50 })).data;
    const npmAction = actions.find((action) => action.name === 'password-age-claim');
    expect(npmAction?.dependencies).toEqual([{ name: 'ms', version: MS_VERSION }]);
    expect(npmAction?.all_changes_deployed).toBe(true);
  });

  it('a second deploy plans and writes nothing', async () => {
    fixture.tenant.requestLog.clear();
    const outcome = await deploy(fixture.tenant, workspace);
    expect(outcome.plan.changes).toEqual([]);
    expect(writesIn(fixture.tenant)).toEqual([]);
  });
});
