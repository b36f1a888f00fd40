// pre-user-registration trigger (v2): runs before a database or passwordless user is created; may deny the signup
// or set metadata on the user to be. Event and api from
// https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/pre-user-registration-trigger/pre-user-registration-event-object
// and …/pre-user-registration-api-object.
import type {
  ActionCacheApi,
  ActionClient,
  ActionConnection,
  ActionRequest,
  ActionSecrets,
  ActionTenant,
  CustomDomain,
  JsonValue,
  SecurityContext,
  SignupTransaction,
  UserProfile,
} from './common.js';

/**
 * The user attempting to register: no `user_id` or timestamps yet. Auth0's reference shows the object possibly
 * empty, so every field (metadata included) is optional.
 */
export interface PreUserRegistrationUser extends UserProfile {
  app_metadata?: Record<string, unknown>;
  user_metadata?: Record<string, unknown>;
}

export interface PreUserRegistrationEvent {
  user: PreUserRegistrationUser;
  connection: ActionConnection;
  /** On this trigger the request always carries the signup's POST body. */
  request: ActionRequest & { body: Record<string, unknown> };
  tenant: ActionTenant;
  client?: ActionClient;
  transaction?: SignupTransaction;
  custom_domain?: CustomDomain;
  security_context?: SecurityContext;
  secrets: ActionSecrets;
}

export interface PreUserRegistrationApi {
  access: {
    /** Refuses the signup; no later Action runs. `userMessage` may be shown to the user. */
    deny(reason: string, userMessage: string): PreUserRegistrationApi;
  };
  validation: {
    /** Refuses the signup as invalid input, shown on the signup prompt; no later Action runs. */
    error(errorCode: string, errorMessage: string): PreUserRegistrationApi;
  };
  user: {
    /** Aggregated across the flow and written once when the user is created. */
    setUserMetadata(key: string, value: JsonValue): PreUserRegistrationApi;
    setAppMetadata(key: string, value: JsonValue): PreUserRegistrationApi;
  };
  cache: ActionCacheApi;
}

export type OnExecutePreUserRegistration = (
  event: PreUserRegistrationEvent,
  api: PreUserRegistrationApi,
) => Promise<void>;
