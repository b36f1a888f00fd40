// send-phone-message trigger (v2): sends the SMS or voice message of phone MFA (enrollment and challenges)
// through a custom provider; the Action itself delivers the message. Event from
// https://auth0.com/docs/customize/actions/explore-triggers/mfa-notifications-trigger/send-phone-message-event-object;
// the api holds only the cache.
import type {
  ActionCacheApi,
  ActionClient,
  ActionRequest,
  ActionSecrets,
  ActionTenant,
  ActionUser,
} from './common.js';

export interface PhoneMessageOptions {
  /** The flow that needs the message. */
  action: 'enrollment' | 'second-factor-authentication';
  /** The one-time code the user must enter. Never log it. */
  code: string;
  message_type: 'sms' | 'voice';
  /** Phone number the message goes to. */
  recipient: string;
  /** The message text Auth0 composed (contains the code). */
  text: string;
}

export interface SendPhoneMessageEvent {
  message_options: PhoneMessageOptions;
  user: ActionUser;
  request: ActionRequest;
  tenant: ActionTenant;
  client?: ActionClient;
  secrets: ActionSecrets;
}

export interface SendPhoneMessageApi {
  cache: ActionCacheApi;
}

export type OnExecuteSendPhoneMessage = (
  event: SendPhoneMessageEvent,
  api: SendPhoneMessageApi,
) => Promise<void>;
