// post-login, and the sample of an npm import: `ms` turns the PASSWORD_MAX_AGE secret ("90d") into milliseconds.
// Tokens for the banking API carry `<API>/password_stale`, so the API can ask for a password change before it
// allows a transfer. By default the build bundles `ms` in; declaring it under the Action's `dependencies` in
// tenant.yaml makes Auth0 install it instead.
import ms from 'ms';
import type { OnExecutePostLogin } from '../types/post-login.js';

const DEFAULT_MAX_AGE = '90d';

export const onExecutePostLogin: OnExecutePostLogin = async (event, api) => {
  const identifier = event.secrets.BANKING_API_IDENTIFIER;
  if (!identifier || event.resource_server?.identifier !== identifier) return;
  const maxAgeMs = ms(event.secrets.PASSWORD_MAX_AGE ?? DEFAULT_MAX_AGE);
  if (maxAgeMs === undefined || !(maxAgeMs > 0)) {
    console.log(`PASSWORD_MAX_AGE is not a duration; no password_stale claim`);
    return;
  }
  const since = Date.parse(event.user.last_password_reset ?? event.user.created_at);
  const stale = Number.isNaN(since) || Date.now() - since > maxAgeMs;
  api.accessToken.setCustomClaim(`${identifier.replace(/\/+$/, '')}/password_stale`, stale);
};
