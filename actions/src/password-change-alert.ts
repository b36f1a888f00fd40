// post-change-password: report every password change to the bank's security events service, which alerts the
// customer on another channel and can hold transfers for a while (an attacker's first move after a takeover).
import type { OnExecutePostChangePassword } from '../types/post-change-password.js';
import { endpointFromSecrets, postJson } from './lib/post-json.js';

export const onExecutePostChangePassword: OnExecutePostChangePassword = async (event) => {
  const endpoint = endpointFromSecrets(event.secrets, 'BANK_EVENTS_URL', 'BANK_EVENTS_TOKEN');
  await postJson(endpoint, {
    type: 'customer.password_changed',
    user_id: event.user.user_id ?? null,
    email: event.user.email ?? null,
    changed_at: event.user.last_password_reset ?? null,
    ip: event.request.ip,
    country: event.request.geoip.countryCode ?? null,
  });
};
