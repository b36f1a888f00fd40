// Test kit of the post-user-registration trigger: the user the signup just created.
import type {
  OnExecutePostUserRegistration,
  PostUserRegistrationApi,
  PostUserRegistrationEvent,
} from '../../types/post-user-registration.js';
import { createCacheOnlyRecorder, type CacheOnlyRecorder } from '../cache-recorder.js';
import { defineTriggerKit, mergeEvent, type EventOverrides } from '../trigger-kit.js';
import { TEST_TENANT, testConnection, testRequest, testUser } from './defaults.js';

export type { OnExecutePostUserRegistration };

export function buildPostUserRegistrationEvent(
  overrides: EventOverrides<PostUserRegistrationEvent> = {},
): PostUserRegistrationEvent {
  return mergeEvent<PostUserRegistrationEvent>(
    {
      user: testUser(),
      connection: testConnection(),
      request: testRequest(),
      tenant: { ...TEST_TENANT },
      transaction: { acr_values: [], locale: 'en', ui_locales: [], protocol: 'oidc-basic-profile' },
      secrets: {},
    },
    overrides,
  );
}

export const postUserRegistration = defineTriggerKit<
  PostUserRegistrationEvent,
  PostUserRegistrationApi,
  CacheOnlyRecorder
>('post-user-registration', {
  buildEvent: buildPostUserRegistrationEvent,
  createRecorder: createCacheOnlyRecorder,
});
