// post-user-registration trigger (v2): runs after a database or passwordless user was created. Non-blocking:
// its outcome does not affect the signup, so it suits notifying other systems. Event from
// https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/post-user-registration-trigger/post-user-registration-event-object;
// the api holds only the cache.
import type {
  ActionCacheApi,
  ActionConnection,
  ActionRequest,
  ActionSecrets,
  ActionTenant,
  ActionUser,
  CustomDomain,
  SecurityContext,
  SignupTransaction,
} from './common.js';

export interface PostUserRegistrationEvent {
  user: ActionUser;
  connection: ActionConnection;
  /** Optional on this trigger, per Auth0. */
  request?: ActionRequest;
  tenant: ActionTenant;
  transaction?: SignupTransaction;
  custom_domain?: CustomDomain;
  security_context?: SecurityContext;
  secrets: ActionSecrets;
}

export interface PostUserRegistrationApi {
  cache: ActionCacheApi;
}

export type OnExecutePostUserRegistration = (
  event: PostUserRegistrationEvent,
  api: PostUserRegistrationApi,
) => Promise<void>;
