// tenant.yaml deploys and binds an Action of any trigger the same way as the post-login ones: the sample Actions
// of pre-user-registration, post-user-registration, post-change-password and send-phone-message, plus a post-login
// Action declaring an npm dependency, deployed to an in-process local tenant; a second deploy changes nothing.
// Then a signup at the local tenant runs the deployed pre- and post-user-registration Actions.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockedVersion } from '../../actions/build-config.js';
import { useLocalTenant } from '../helpers/local-tenant.js';
import { createWorkspace, deploy, writesIn, type Workspace } from '../deploy/helpers.js';

const MS_VERSION = lockedVersion(join(import.meta.dirname, '..', '..', 'package-lock.json'), 'ms')!;

const SAMPLES: [name: string, trigger: string, secrets: string][] = [];
const sampleList = (eventsUrl: string): typeof SAMPLES => [
  [
    'signup-email-policy',
    'pre-user-registration',
    '{ name: BLOCKED_EMAIL_DOMAINS, value: rival-bank.example }',
  ],
  [
    'signup-notify',
    'post-user-registration',
    `{ name: BANK_EVENTS_URL, value: '${eventsUrl}' }, { name: BANK_EVENTS_TOKEN, value: test-token }`,
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
let events: Server;
/** Bodies the bank events service received (from the post-user-registration Action). */
const received: Record<string, unknown>[] = [];
let onReceived = (): void => undefined;

beforeAll(async () => {
  events = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      received.push({ authorization: request.headers.authorization, ...JSON.parse(text) });
      response.writeHead(204).end();
      onReceived();
    });
  });
  events.listen(0, '127.0.0.1');
  await once(events, 'listening');
  SAMPLES.push(...sampleList(`http://127.0.0.1:${(events.address() as AddressInfo).port}/events`));
  workspace = await createWorkspace();
  workspace.edit(withSamples);
});
afterAll(() => events?.close());

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

describe('signup at the local tenant runs the deployed registration Actions', () => {
  const signup = async (email: string, extra: Record<string, unknown> = {}) => {
    const spa = (await fixture.management.clients.list({ per_page: 100 })).data.find(
      (client) => client.name === 'Banking SPA',
    );
    const response = await fetch(`${fixture.tenant.baseUrl}/dbconnections/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: spa?.client_id,
        connection: 'Banking-Users',
        email,
        password: 'Sign-up-Passw0rd!',
        ...extra,
      }),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  const usersNamed = async (email: string) =>
    await fixture.management.users.listUsersByEmail({ email });

  it('pre-user-registration refuses a disposable domain with its user message; no user is created', async () => {
    expect(await signup('someone@mailinator.com')).toEqual({
      status: 400,
      json: {
        name: 'ValidationError',
        code: 'extensibility_error',
        description:
          'Please sign up with a permanent email address; we cannot open an account for this one.',
        statusCode: 400,
      },
    });
    expect(await usersNamed('someone@mailinator.com')).toEqual([]);
    // The BLOCKED_EMAIL_DOMAINS secret deployed with it counts too.
    expect((await signup('x@rival-bank.example')).json.code).toBe('extensibility_error');
  });

  it('creates an allowed customer with the metadata the Action set, then post-user-registration reports it', async () => {
    const reported = new Promise<void>((resolve) => (onReceived = resolve));
    const answer = await signup('Grace@Example.com');
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ email: 'grace@example.com', email_verified: false });
    const [user] = await usersNamed('grace@example.com');
    expect(user?.app_metadata).toEqual({ kyc_status: 'pending' });
    expect(user?.user_id).toBe(`auth0|${String(answer.json._id)}`);
    await reported;
    expect(received).toEqual([
      expect.objectContaining({
        authorization: 'Bearer test-token',
        type: 'customer.signed_up',
        user_id: user?.user_id,
        email: 'grace@example.com',
        connection: 'Banking-Users',
      }),
    ]);
    // The same address again is refused as Auth0 does, without telling whether it exists.
    expect((await signup('grace@example.com')).json).toMatchObject({ code: 'invalid_signup' });
  });

  it('answers a client mistake with a 400 naming it, never a 500', async () => {
    expect(await signup('x@example.com', { password: undefined })).toEqual({
      status: 400,
      json: expect.objectContaining({
        code: 'invalid_body',
        description: expect.stringMatching(/^password: /),
      }),
    });
    expect(await signup('x@example.com', { client_id: 'no-such-client' })).toMatchObject({
      status: 400,
      json: { code: 'invalid_signup' },
    });
    expect(await signup('x@example.com', { password: 'short' })).toMatchObject({
      status: 400,
      json: { name: 'PasswordStrengthError', code: 'invalid_password' },
    });
    expect(await usersNamed('x@example.com')).toEqual([]);
  });
});
