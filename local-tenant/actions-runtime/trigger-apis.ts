// The `api` object of each trigger the local tenant executes, by trigger id. Running another trigger's Actions is
// adding its api module and one row here (plus whatever flow calls runTriggerActions for it).
import type { ActionTriggerId } from '../../actions/runtime/triggers.js';
import { createCredentialsExchangeApi } from './credentials-exchange-api.js';
import { createPostLoginApi } from './post-login-api.js';
import { createPreUserRegistrationApi } from './pre-user-registration-api.js';
import { cacheApi, type TriggerApiContext } from './trigger-api-context.js';

export type { TriggerApiContext };

export const TRIGGER_APIS: Partial<
  Record<ActionTriggerId, (context: TriggerApiContext) => object>
> = {
  'post-login': createPostLoginApi,
  'pre-user-registration': createPreUserRegistrationApi,
  'post-user-registration': ({ cache }) => ({ cache: cacheApi(cache) }),
  'credentials-exchange': createCredentialsExchangeApi,
};
