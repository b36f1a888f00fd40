// The sample Actions of post-change-password, send-phone-message and the post-login one importing an npm
// package, run as TypeScript source and as the bundle the tenant runs (node:vm loader) through their trigger kits.
import { describe, expect, it } from 'vitest';
import {
  TEST_PHONE_CODE,
  postChangePassword,
  postLogin,
  runAction,
  sendPhoneMessage,
  type ActionConsole,
} from '../../actions/testkit/index.js';
import * as passwordAgeClaim from '../../actions/src/password-age-claim.js';
import * as passwordChangeAlert from '../../actions/src/password-change-alert.js';
import * as smsGateway from '../../actions/src/sms-gateway.js';
import { bothForms, useSampleFixture } from './helpers/sample-actions.js';

const samples = useSampleFixture();
const bankEvents = () => ({
  BANK_EVENTS_URL: samples.serviceUrl(),
  BANK_EVENTS_TOKEN: 'tok-events',
});

describe.each(bothForms(samples, postChangePassword, 'password-change-alert', passwordChangeAlert))(
  'post-change-password: password-change-alert (%s)',
  (_form, handler) => {
    it('reports the change with where it came from', async () => {
      samples.received.length = 0;
      await runAction(
        postChangePassword,
        handler(),
        postChangePassword.buildEvent({ secrets: bankEvents() }),
      );
      expect(samples.received).toEqual([
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
      const event = postChangePassword.buildEvent({
        secrets: { BANK_EVENTS_URL: samples.serviceUrl() },
      });
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

describe.each(bothForms(samples, sendPhoneMessage, 'sms-gateway', smsGateway, capture))(
  'send-phone-message: sms-gateway (%s)',
  (_form, handler) => {
    const gatewaySecrets = () => ({
      SMS_GATEWAY_URL: samples.serviceUrl(),
      SMS_GATEWAY_TOKEN: 'tok-sms',
    });

    it('hands the SMS to the gateway and never logs the code', async () => {
      samples.received.length = 0;
      logged.length = 0;
      await runAction(
        sendPhoneMessage,
        handler(),
        sendPhoneMessage.buildEvent({ secrets: gatewaySecrets() }),
      );
      expect(samples.received).toEqual([
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
      samples.received.length = 0;
      const event = sendPhoneMessage.buildEvent({
        secrets: gatewaySecrets(),
        message_options: { message_type: 'voice', action: 'enrollment' },
      });
      await runAction(sendPhoneMessage, handler(), event);
      expect(samples.received[0]?.body).toMatchObject({ channel: 'voice', purpose: 'enrollment' });
    });

    it('fails the message when the gateway is not configured', async () => {
      await expect(
        runAction(sendPhoneMessage, handler(), sendPhoneMessage.buildEvent()),
      ).rejects.toThrow('secret SMS_GATEWAY_URL is not set');
    });
  },
);

describe.each(bothForms(samples, postLogin, 'password-age-claim', passwordAgeClaim))(
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
