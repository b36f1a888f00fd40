// Test kit of the post-change-password trigger: the user who just reset their password.
import type {
  OnExecutePostChangePassword,
  PostChangePasswordApi,
  PostChangePasswordEvent,
} from '../../types/post-change-password.js';
import { createCacheOnlyRecorder, type CacheOnlyRecorder } from '../cache-recorder.js';
import { defineTriggerKit, mergeEvent, type EventOverrides } from '../trigger-kit.js';
import { TEST_TENANT, testConnection, testRequest } from './defaults.js';

export type { OnExecutePostChangePassword };

export function buildPostChangePasswordEvent(
  overrides: EventOverrides<PostChangePasswordEvent> = {},
): PostChangePasswordEvent {
  return mergeEvent<PostChangePasswordEvent>(
    {
      user: {
        user_id: 'auth0|6571c3a1d00dfeed0002b3c4',
        email: 'grace@example.com',
        email_verified: true,
        last_password_reset: '2026-12-01T23:30:00.000Z',
      },
      connection: testConnection(),
      request: testRequest(),
      tenant: { ...TEST_TENANT },
      secrets: {},
    },
    overrides,
  );
}

export const postChangePassword = defineTriggerKit<
  PostChangePasswordEvent,
  PostChangePasswordApi,
  CacheOnlyRecorder
>('post-change-password', {
  buildEvent: buildPostChangePasswordEvent,
  createRecorder: createCacheOnlyRecorder,
});
