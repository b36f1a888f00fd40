// send-phone-message: deliver phone-MFA codes through the bank's own SMS/voice gateway instead of Auth0's
// providers. The message text holds the one-time code: it is sent, never logged.
import type { OnExecuteSendPhoneMessage } from '../types/send-phone-message.js';
import { endpointFromSecrets, postJson } from './lib/post-json.js';

export const onExecuteSendPhoneMessage: OnExecuteSendPhoneMessage = async (event) => {
  const endpoint = endpointFromSecrets(event.secrets, 'SMS_GATEWAY_URL', 'SMS_GATEWAY_TOKEN');
  const { recipient, message_type, text, action } = event.message_options;
  await postJson(endpoint, {
    to: recipient,
    channel: message_type,
    text,
    purpose: action,
    // Lets the gateway correlate deliveries without seeing who the user is in Auth0 terms.
    reference: `${event.tenant.id}:${event.user.user_id}`,
  });
};
