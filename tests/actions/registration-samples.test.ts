// The sample Actions of the signup triggers (pre- and post-user-registration), run as TypeScript source and as
// the bundle the tenant runs (node:vm loader) through their trigger kits, and the kits' own contract.
import { describe, expect, it } from 'vitest';
import { ACTION_TRIGGERS } from '../../actions/runtime/triggers.js';
import {
  postChangePassword,
  postLogin,
  postUserRegistration,
  preUserRegistration,
  runAction,
  sendPhoneMessage,
  loadTriggerAction,
} from '../../actions/testkit/index.js';
import * as signupEmailPolicy from '../../actions/src/signup-email-policy.js';
import * as signupNotify from '../../actions/src/signup-notify.js';
import { bothForms, useSampleFixture } from './helpers/sample-actions.js';

const samples = useSampleFixture();

const bankEvents = () => ({
  BANK_EVENTS_URL: samples.serviceUrl(),
  BANK_EVENTS_TOKEN: 'tok-events',
});

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
    const bundle = samples.bundle('signup-notify');
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

describe.each(bothForms(samples, preUserRegistration, 'signup-email-policy', signupEmailPolicy))(
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

describe.each(bothForms(samples, postUserRegistration, 'signup-notify', signupNotify))(
  'post-user-registration: signup-notify (%s)',
  (_form, handler) => {
    it('posts the new customer to the bank events service with its token', async () => {
      samples.received.length = 0;
      const event = postUserRegistration.buildEvent({ secrets: bankEvents() });
      await runAction(postUserRegistration, handler(), event);
      expect(samples.received).toEqual([
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
      samples.received.length = 0;
      const event = postUserRegistration.buildEvent({
        secrets: bankEvents(),
        request: undefined,
      });
      delete event.user.email;
      await runAction(postUserRegistration, handler(), event);
      expect(samples.received[0]?.body).toMatchObject({ email: null, country: null });
    });

    it('fails loudly when a secret is missing or the service refuses', async () => {
      await expect(
        runAction(postUserRegistration, handler(), postUserRegistration.buildEvent()),
      ).rejects.toThrow('secret BANK_EVENTS_URL is not set');
      samples.answerStatus = 503;
      try {
        await expect(
          runAction(
            postUserRegistration,
            handler(),
            postUserRegistration.buildEvent({ secrets: bankEvents() }),
          ),
        ).rejects.toThrow(/answered 503/);
      } finally {
        samples.answerStatus = 204;
      }
    });
  },
);
