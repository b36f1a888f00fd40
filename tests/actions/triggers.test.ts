// The sample Action of every trigger beyond post-login, run twice — as TypeScript source and as the bundle the
// tenant runs (node:vm loader) — through the trigger kits. The notifying Actions post to a real HTTP server here.
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleActions, type BundledAction } from '../../actions/bundle.js';
import { ACTION_TRIGGERS } from '../../actions/runtime/triggers.js';
import {
  TEST_PHONE_CODE,
  loadTriggerAction,
  postChangePassword,
  postLogin,
  postUserRegistration,
  preUserRegistration,
  runAction,
  sendPhoneMessage,
  type ActionConsole,
  type ActionHandler,
  type TriggerKit,
} from '../../actions/testkit/index.js';
import * as passwordChangeAlert from '../../actions/src/password-change-alert.js';
import * as passwordAgeClaim from '../../actions/src/password-age-claim.js';
import * as signupEmailPolicy from '../../actions/src/signup-email-policy.js';
import * as signupNotify from '../../actions/src/signup-notify.js';
import * as smsGateway from '../../actions/src/sms-gateway.js';

interface Received {
  authorization: string | undefined;
  body: Record<string, unknown>;
}

let workDir = '';
let bundles: BundledAction[] = [];
let server: Server;
let serviceUrl = '';
const received: Received[] = [];
let answerStatus = 204;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'actions-triggers-test-'));
  bundles = await bundleActions({ outDir: workDir });
  server = createServer((request: IncomingMessage, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      received.push({
        authorization: request.headers.authorization,
        body: JSON.parse(text) as Record<string, unknown>,
      });
      response.writeHead(answerStatus).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  serviceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
});
afterAll(async () => {
  server?.close();
  await rm(workDir, { recursive: true, force: true });
});

const silent: ActionConsole = { log() {}, info() {}, warn() {}, error() {}, debug() {} };

/** The source module's handler, and the same Action loaded from its bundle. */
function bothForms<Event, Api, Recorder extends { api: Api }>(
  kit: TriggerKit<Event, Api, Recorder>,
  name: string,
  source: Record<string, unknown>,
  console: ActionConsole = silent,
): [string, () => ActionHandler<Event, Api>][] {
  return [
    ['source', () => source[kit.handlerName] as ActionHandler<Event, Api>],
    [
      'bundle',
      () => {
        const bundle = bundles.find((candidate) => candidate.name === name);
        if (!bundle) throw new Error(`no bundle ${name}`);
        expect(bundle.trigger).toBe(kit.trigger);
        return loadTriggerAction(kit, bundle.code, { filename: `${name}.js`, console });
      },
    ],
  ];
}

const bankEvents = () => ({ BANK_EVENTS_URL: serviceUrl, BANK_EVENTS_TOKEN: 'tok-events' });

describe('trigger kits', () => {
  it('name the handler Auth0 calls for their trigger', () => {
    for (const kit of [
      postLogin,
      preUserRegistration,
      postUserRegistration,
      postChangePassword,
      sendPhoneMessage,
    ])
      expect(kit.handlerName).toBe(ACTION_TRIGGERS[kit.trigger].handler);
    expect(preUserRegistration.handlerName).toBe('onExecutePreUserRegistration');
    expect(sendPhoneMessage.handlerName).toBe('onExecuteSendPhoneMessage');
  });

  it('refuse a bundle that serves another trigger, naming the missing handler', () => {
    const bundle = bundles.find((candidate) => candidate.name === 'signup-notify')!;
    expect(() => loadTriggerAction(sendPhoneMessage, bundle.code, { filename: 'x.js' })).toThrow(
      'x.js: bundle does not export an onExecuteSendPhoneMessage function',
    );
  });

  it('merge event overrides per field and drop fields set to undefined', () => {
    const event = preUserRegistration.buildEvent({
      user: { email: 'x@example.org' },
      client: undefined,
    });
    expect(event.user).toEqual({ email: 'x@example.org', app_metadata: {}, user_metadata: {} });
    expect('client' in event).toBe(false);
    expect(event.connection.strategy).toBe('auth0');
  });

  it('record api.cache with a 15-minute default lifetime', () => {
    const recorder = postUserRegistration.createRecorder();
    const before = Date.now();
    const written = recorder.api.cache.set('k', 'v');
    expect(written.type).toBe('success');
    expect(recorder.api.cache.get('k')?.value).toBe('v');
    expect(recorder.cache.get('k')!.expires_at).toBeGreaterThanOrEqual(before + 15 * 60 * 1000);
    recorder.api.cache.delete('k');
    expect(recorder.api.cache.get('k')).toBeUndefined();
    expect(recorder.calls.map((call) => call.method)).toEqual([
      'cache.set',
      'cache.get',
      'cache.delete',
      'cache.get',
    ]);
  });
});

describe.each(bothForms(preUserRegistration, 'signup-email-policy', signupEmailPolicy))(
  'pre-user-registration: signup-email-policy (%s)',
  (_form, handler) => {
    const signUp = (email: string | undefined, secrets: Record<string, string> = {}) =>
      runAction(
        preUserRegistration,
        handler(),
        preUserRegistration.buildEvent({
          user: { email },
          secrets,
        }),
      );

    it('lets a permanent address sign up with KYC pending', async () => {
      const recorder = await signUp('grace@example.com');
      expect(recorder.denied).toBeUndefined();
      expect(recorder.validationError).toBeUndefined();
      expect(recorder.appMetadata).toEqual({ kyc_status: 'pending' });
      expect(recorder.userMetadata).toEqual({});
    });

    it.each(['a@mailinator.com', 'A@EU.Mailinator.COM', 'b@yopmail.com.'])(
      'refuses the disposable domain of %s with a message for the user',
      async (email) => {
        const recorder = await signUp(email);
        expect(recorder.denied).toEqual({
          reason: 'disposable_email_domain',
          userMessage:
            'Please sign up with a permanent email address; we cannot open an account for this one.',
        });
        expect(recorder.appMetadata).toEqual({});
      },
    );

    it('refuses domains listed in BLOCKED_EMAIL_DOMAINS and keeps look-alike domains allowed', async () => {
      const secrets = { BLOCKED_EMAIL_DOMAINS: ' @Rival-Bank.example , spam.test' };
      expect((await signUp('x@rival-bank.example', secrets)).denied?.reason).toBe(
        'disposable_email_domain',
      );
      expect((await signUp('x@mail.spam.test', secrets)).denied).toBeDefined();
      expect((await signUp('x@notmailinator.com', secrets)).denied).toBeUndefined();
      expect((await signUp('x@spam.test.example', secrets)).denied).toBeUndefined();
    });

    it.each([undefined, '', 'no-at-sign', '@example.com', 'x@localhost', 'x@exa mple.com'])(
      'answers a validation error for the email %j',
      async (email) => {
        const recorder = await signUp(email);
        expect(recorder.validationError).toEqual({
          errorCode: 'invalid_email',
          errorMessage: 'Please enter a valid email address.',
        });
        expect(recorder.denied).toBeUndefined();
        expect(recorder.appMetadata).toEqual({});
      },
    );
  },
);

describe.each(bothForms(postUserRegistration, 'signup-notify', signupNotify))(
  'post-user-registration: signup-notify (%s)',
  (_form, handler) => {
    it('posts the new customer to the bank events service with its token', async () => {
      received.length = 0;
      const event = postUserRegistration.buildEvent({ secrets: bankEvents() });
      await runAction(postUserRegistration, handler(), event);
      expect(received).toEqual([
        {
          authorization: 'Bearer tok-events',
          body: {
            type: 'customer.signed_up',
            user_id: 'auth0|6571c3a1d00dfeed0002b3c4',
            email: 'grace@example.com',
            connection: 'Username-Password-Authentication',
            country: 'GB',
            created_at: '2026-12-01T23:00:00.000Z',
          },
        },
      ]);
    });

    it('sends nulls for what the event does not carry (request is optional here)', async () => {
      received.length = 0;
      const event = postUserRegistration.buildEvent({
        secrets: bankEvents(),
        request: undefined,
      });
      delete event.user.email;
      await runAction(postUserRegistration, handler(), event);
      expect(received[0]?.body).toMatchObject({ email: null, country: null });
    });

    it('fails loudly when a secret is missing or the service refuses', async () => {
      await expect(
        runAction(postUserRegistration, handler(), postUserRegistration.buildEvent()),
      ).rejects.toThrow('secret BANK_EVENTS_URL is not set');
      answerStatus = 503;
      try {
        await expect(
          runAction(
            postUserRegistration,
            handler(),
            postUserRegistration.buildEvent({ secrets: bankEvents() }),
          ),
        ).rejects.toThrow(/answered 503/);
      } finally {
        answerStatus = 204;
      }
    });
  },
);

describe.each(bothForms(postChangePassword, 'password-change-alert', passwordChangeAlert))(
  'post-change-password: password-change-alert (%s)',
  (_form, handler) => {
    it('reports the change with where it came from', async () => {
      received.length = 0;
      await runAction(
        postChangePassword,
        handler(),
        postChangePassword.buildEvent({ secrets: bankEvents() }),
      );
      expect(received).toEqual([
        {
          authorization: 'Bearer tok-events',
          body: {
            type: 'customer.password_changed',
            user_id: 'auth0|6571c3a1d00dfeed0002b3c4',
            email: 'grace@example.com',
            changed_at: '2026-12-01T23:30:00.000Z',
            ip: '203.0.113.10',
            country: 'GB',
          },
        },
      ]);
    });

    it('needs its token secret', async () => {
      const event = postChangePassword.buildEvent({ secrets: { BANK_EVENTS_URL: serviceUrl } });
      await expect(runAction(postChangePassword, handler(), event)).rejects.toThrow(
        'secret BANK_EVENTS_TOKEN is not set',
      );
    });
  },
);

const logged: string[] = [];
const capture: ActionConsole = {
  log: (...args: unknown[]) => void logged.push(args.join(' ')),
  info: (...args: unknown[]) => void logged.push(args.join(' ')),
  warn: (...args: unknown[]) => void logged.push(args.join(' ')),
  error: (...args: unknown[]) => void logged.push(args.join(' ')),
  debug: (...args: unknown[]) => void logged.push(args.join(' ')),
};

describe.each(bothForms(sendPhoneMessage, 'sms-gateway', smsGateway, capture))(
  'send-phone-message: sms-gateway (%s)',
  (_form, handler) => {
    const gatewaySecrets = () => ({ SMS_GATEWAY_URL: serviceUrl, SMS_GATEWAY_TOKEN: 'tok-sms' });

    it('hands the SMS to the gateway and never logs the code', async () => {
      received.length = 0;
      logged.length = 0;
      await runAction(
        sendPhoneMessage,
        handler(),
        sendPhoneMessage.buildEvent({ secrets: gatewaySecrets() }),
      );
      expect(received).toEqual([
        {
          authorization: 'Bearer tok-sms',
          body: {
            to: '+447700900123',
            channel: 'sms',
            text: expect.stringContaining(TEST_PHONE_CODE),
            purpose: 'second-factor-authentication',
            reference: 'bank-dev:auth0|6571c3a1d00dfeed0002b3c4',
          },
        },
      ]);
      expect(logged.join('\n')).not.toContain(TEST_PHONE_CODE);
    });

    it('asks for a voice call during enrollment when Auth0 says so', async () => {
      received.length = 0;
      const event = sendPhoneMessage.buildEvent({
        secrets: gatewaySecrets(),
        message_options: { message_type: 'voice', action: 'enrollment' },
      });
      await runAction(sendPhoneMessage, handler(), event);
      expect(received[0]?.body).toMatchObject({ channel: 'voice', purpose: 'enrollment' });
    });

    it('fails the message when the gateway is not configured', async () => {
      await expect(
        runAction(sendPhoneMessage, handler(), sendPhoneMessage.buildEvent()),
      ).rejects.toThrow('secret SMS_GATEWAY_URL is not set');
    });
  },
);

describe.each(bothForms(postLogin, 'password-age-claim', passwordAgeClaim))(
  'post-login with an npm import: password-age-claim (%s)',
  (_form, handler) => {
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
    const login = (lastReset: string | undefined, secrets: Record<string, string> = {}) => {
      const event = postLogin.buildEvent({
        secrets: { BANKING_API_IDENTIFIER: 'https://my-banking-api', ...secrets },
      });
      if (lastReset === undefined) delete event.user.last_password_reset;
      else event.user.last_password_reset = lastReset;
      event.user.created_at = daysAgo(400);
      return runAction(postLogin, handler(), event);
    };

    it('marks a password older than PASSWORD_MAX_AGE (ms syntax) stale', async () => {
      const claim = 'https://my-banking-api/password_stale';
      expect((await login(daysAgo(89))).accessToken.claims).toEqual({ [claim]: false });
      expect((await login(daysAgo(91))).accessToken.claims).toEqual({ [claim]: true });
      expect((await login(daysAgo(8), { PASSWORD_MAX_AGE: '1w' })).accessToken.claims).toEqual({
        [claim]: true,
      });
      // Never reset: the account's age counts.
      expect((await login(undefined)).accessToken.claims).toEqual({ [claim]: true });
    });

    it('sets nothing for another API or an unreadable PASSWORD_MAX_AGE', async () => {
      const other = postLogin.buildEvent({
        resource_server: { identifier: 'https://other-api' },
        secrets: { BANKING_API_IDENTIFIER: 'https://my-banking-api' },
      });
      expect((await runAction(postLogin, handler(), other)).calls).toEqual([]);
      expect((await login(daysAgo(1), { PASSWORD_MAX_AGE: 'soon' })).calls).toEqual([]);
    });
  },
);
