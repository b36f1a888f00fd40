// The `api` handed to onExecutePreUserRegistration: deny or a validation error stop the signup; metadata set here
// is written when the user is created
// (https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/pre-user-registration-trigger/pre-user-registration-api-object).
import { jsonValue } from './json-value.js';
import { ActionApiUsageError } from './post-login-api.js';
import { cacheApi, type TriggerApiContext } from './trigger-api-context.js';

export function createPreUserRegistrationApi({
  effects,
  control,
  cache,
}: TriggerApiContext): object {
  const api = {
    access: {
      deny(reason: unknown, userMessage: unknown) {
        control.deniedReason = String(reason ?? '');
        control.userMessage = String(userMessage ?? '');
        return api;
      },
    },
    validation: {
      error(errorCode: unknown, errorMessage: unknown) {
        if (typeof errorCode !== 'string' || errorCode === '')
          throw new ActionApiUsageError('api.validation.error needs an error code');
        control.validationError = { code: errorCode, message: String(errorMessage ?? '') };
        return api;
      },
    },
    user: {
      setUserMetadata(key: unknown, value: unknown) {
        effects.userMetadata[String(key)] = jsonValue(value);
        return api;
      },
      setAppMetadata(key: unknown, value: unknown) {
        effects.appMetadata[String(key)] = jsonValue(value);
        return api;
      },
    },
    cache: cacheApi(cache),
  };
  return api;
}
