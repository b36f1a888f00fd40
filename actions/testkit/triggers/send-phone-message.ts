// Test kit of the send-phone-message trigger: the SMS of a second-factor challenge for an enrolled customer.
import type {
  OnExecuteSendPhoneMessage,
  SendPhoneMessageApi,
  SendPhoneMessageEvent,
} from '../../types/send-phone-message.js';
import { createCacheOnlyRecorder, type CacheOnlyRecorder } from '../cache-recorder.js';
import { defineTriggerKit, mergeEvent, type EventOverrides } from '../trigger-kit.js';
import { TEST_TENANT, testClient, testRequest, testUser } from './defaults.js';

export type { OnExecuteSendPhoneMessage };

export const TEST_PHONE_CODE = '482916';

export function buildSendPhoneMessageEvent(
  overrides: EventOverrides<SendPhoneMessageEvent> = {},
): SendPhoneMessageEvent {
  return mergeEvent<SendPhoneMessageEvent>(
    {
      message_options: {
        action: 'second-factor-authentication',
        code: TEST_PHONE_CODE,
        message_type: 'sms',
        recipient: '+447700900123',
        text: `${TEST_PHONE_CODE} is your verification code for Bank. Please enter this code to verify your enrollment.`,
      },
      user: testUser(),
      request: testRequest(),
      tenant: { ...TEST_TENANT },
      client: testClient(),
      secrets: {},
    },
    overrides,
  );
}

export const sendPhoneMessage = defineTriggerKit<
  SendPhoneMessageEvent,
  SendPhoneMessageApi,
  CacheOnlyRecorder
>('send-phone-message', {
  buildEvent: buildSendPhoneMessageEvent,
  createRecorder: createCacheOnlyRecorder,
});
