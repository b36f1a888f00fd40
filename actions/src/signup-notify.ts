// post-user-registration: tell the bank's onboarding service that a customer signed up, so it can open the KYC
// case. Non-blocking on Auth0: a failure is logged by Auth0 and never undoes the signup.
import type { OnExecutePostUserRegistration } from '../types/post-user-registration.js';
import { endpointFromSecrets, postJson } from './lib/post-json.js';

export const onExecutePostUserRegistration: OnExecutePostUserRegistration = async (event) => {
  const endpoint = endpointFromSecrets(event.secrets, 'BANK_EVENTS_URL', 'BANK_EVENTS_TOKEN');
  await postJson(endpoint, {
    type: 'customer.signed_up',
    user_id: event.user.user_id,
    email: event.user.email ?? null,
    connection: event.connection.name,
    country: event.request?.geoip.countryCode ?? null,
    created_at: event.user.created_at,
  });
};
