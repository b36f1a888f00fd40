// post-change-password trigger (v2): runs after a user changed or reset their password (database connections).
// Non-blocking. Event from
// https://auth0.com/docs/customize/actions/explore-triggers/password-reset-triggers/post-change-password-trigger/post-change-password-event-object;
// the api holds only the cache.
import type {
  ActionCacheApi,
  ActionConnection,
  ActionRequest,
  ActionSecrets,
  ActionTenant,
  CustomDomain,
} from './common.js';

/** The documented subset: every field, `user_id` included, is optional on this trigger. */
export interface PostChangePasswordUser {
  user_id?: string;
  email?: string;
  email_verified?: boolean;
  phone_number?: string;
  phone_verified?: boolean;
  username?: string;
  /** When the password was last reset or changed. */
  last_password_reset?: string;
}

export interface PostChangePasswordEvent {
  user: PostChangePasswordUser;
  connection: ActionConnection;
  request: ActionRequest;
  tenant: ActionTenant;
  custom_domain?: CustomDomain;
  secrets: ActionSecrets;
}

export interface PostChangePasswordApi {
  cache: ActionCacheApi;
}

export type OnExecutePostChangePassword = (
  event: PostChangePasswordEvent,
  api: PostChangePasswordApi,
) => Promise<void>;
