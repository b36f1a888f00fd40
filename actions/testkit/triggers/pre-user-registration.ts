// Test kit of the pre-user-registration trigger: someone signing up to the banking SPA with an email and password.
import type { JsonValue } from '../../types/common.js';
import type {
  OnExecutePreUserRegistration,
  PreUserRegistrationApi,
  PreUserRegistrationEvent,
} from '../../types/pre-user-registration.js';
import { createCacheRecorder, type CacheCall } from '../cache-recorder.js';
import { defineTriggerKit, mergeEvent, type EventOverrides } from '../trigger-kit.js';
import { TEST_TENANT, testClient, testConnection, testRequest } from './defaults.js';

export type { OnExecutePreUserRegistration };

export type PreUserRegistrationCall =
  | { method: 'access.deny'; reason: string; userMessage: string }
  | { method: 'validation.error'; errorCode: string; errorMessage: string }
  | { method: 'user.setUserMetadata' | 'user.setAppMetadata'; key: string; value: JsonValue }
  | CacheCall;

export interface PreUserRegistrationRecorder {
  api: PreUserRegistrationApi;
  calls: PreUserRegistrationCall[];
  /** The first api.access.deny: Auth0 stops the flow there. */
  denied: { reason: string; userMessage: string } | undefined;
  /** The first api.validation.error. */
  validationError: { errorCode: string; errorMessage: string } | undefined;
  /** What the user will be created with (metadata set by the Action, aggregated). */
  userMetadata: Record<string, JsonValue>;
  appMetadata: Record<string, JsonValue>;
}

export function buildPreUserRegistrationEvent(
  overrides: EventOverrides<PreUserRegistrationEvent> = {},
): PreUserRegistrationEvent {
  return mergeEvent<PreUserRegistrationEvent>(
    {
      user: { email: 'grace@example.com', app_metadata: {}, user_metadata: {} },
      connection: testConnection(),
      request: { ...testRequest(), body: {} },
      tenant: { ...TEST_TENANT },
      client: testClient(),
      transaction: { acr_values: [], locale: 'en', ui_locales: [], protocol: 'oidc-basic-profile' },
      secrets: {},
    },
    overrides,
  );
}

export function createPreUserRegistrationRecorder(): PreUserRegistrationRecorder {
  const calls: PreUserRegistrationCall[] = [];
  const cache = createCacheRecorder(calls);
  const recorder: Omit<PreUserRegistrationRecorder, 'api'> = {
    calls,
    denied: undefined,
    validationError: undefined,
    userMetadata: {},
    appMetadata: {},
  };
  const api: PreUserRegistrationApi = {
    access: {
      deny(reason, userMessage) {
        calls.push({ method: 'access.deny', reason, userMessage });
        recorder.denied ??= { reason, userMessage };
        return api;
      },
    },
    validation: {
      error(errorCode, errorMessage) {
        calls.push({ method: 'validation.error', errorCode, errorMessage });
        recorder.validationError ??= { errorCode, errorMessage };
        return api;
      },
    },
    user: {
      setUserMetadata(key, value) {
        calls.push({ method: 'user.setUserMetadata', key, value });
        recorder.userMetadata[key] = structuredClone(value);
        return api;
      },
      setAppMetadata(key, value) {
        calls.push({ method: 'user.setAppMetadata', key, value });
        recorder.appMetadata[key] = structuredClone(value);
        return api;
      },
    },
    cache: cache.api,
  };
  return Object.assign(recorder, { api });
}

export const preUserRegistration = defineTriggerKit('pre-user-registration', {
  buildEvent: buildPreUserRegistrationEvent,
  createRecorder: createPreUserRegistrationRecorder,
});
