// Builds a realistic post-login v3 event: a returning user who just signed in with a password to the banking SPA,
// asking the banking API for view:balance. Tests override only what their case is about.
import {
  BANKING_API_IDENTIFIER,
  STEP_UP_SECRET_NAMES,
  VIEW_BALANCE_SCOPE,
} from '../../lib/banking-api-contract.js';
import type { AuthenticationMethod, PostLoginEvent } from '../types/post-login.js';
import { mergeEvent, type EventOverrides } from './trigger-kit.js';

export const TEST_SPA_CLIENT_ID = 'spa0Banking0Client0Id0000000000';
export const TEST_OTHER_CLIENT_ID = 'cli0Other0Client0Id00000000000';

/** Per top-level field: a partial object shallow-merged over the default; `undefined` removes the field. */
export type PostLoginEventOverrides = EventOverrides<PostLoginEvent>;

/** ISO timestamp `seconds` before `now`, the shape Auth0 uses in `authentication.methods`. */
export function secondsAgo(seconds: number, now: number = Date.now()): string {
  return new Date(now - seconds * 1000).toISOString();
}

export function authMethod(name: string, ageSeconds: number, type?: string): AuthenticationMethod {
  return type === undefined
    ? { name, timestamp: secondsAgo(ageSeconds) }
    : { name, timestamp: secondsAgo(ageSeconds), type };
}

export function defaultPostLoginEvent(): PostLoginEvent {
  return {
    user: {
      user_id: 'auth0|6561b2f0c0ffee0001a1b2c3',
      email: 'ada@example.com',
      email_verified: true,
      name: 'Ada Lovelace',
      nickname: 'ada',
      given_name: 'Ada',
      family_name: 'Lovelace',
      picture: 'https://s.gravatar.com/avatar/ada.png',
      created_at: '2025-03-01T09:00:00.000Z',
      updated_at: '2026-11-20T08:15:00.000Z',
      app_metadata: {},
      user_metadata: {},
      identities: [
        {
          provider: 'auth0',
          user_id: '6561b2f0c0ffee0001a1b2c3',
          connection: 'Username-Password-Authentication',
          isSocial: false,
        },
      ],
      multifactor: ['guardian'],
      enrolledFactors: [{ type: 'push-notification' }, { type: 'otp' }],
    },
    client: { client_id: TEST_SPA_CLIENT_ID, name: 'Banking SPA', metadata: {} },
    transaction: {
      id: 'txn_4Kq9ZP2v8mR1',
      acr_values: [],
      requested_scopes: ['openid', 'profile', VIEW_BALANCE_SCOPE],
      protocol: 'oidc-basic-profile',
      redirect_uri: 'https://127.0.0.1:5173/callback',
      response_type: ['code'],
      response_mode: 'query',
      state: 'c3RhdGUtdmFsdWU',
      prompt: [],
      locale: 'en',
      ui_locales: [],
    },
    authentication: { methods: [authMethod('pwd', 20)] },
    resource_server: { identifier: BANKING_API_IDENTIFIER },
    request: {
      ip: '203.0.113.10',
      method: 'POST',
      hostname: 'bank-dev.eu.auth0.com',
      language: 'en-GB',
      user_agent:
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
      geoip: {
        cityName: 'London',
        countryCode: 'GB',
        continentCode: 'EU',
        latitude: 51.5,
        longitude: -0.12,
        timeZone: 'Europe/London',
      },
    },
    connection: {
      id: 'con_Pw9x1Ld0Q7',
      name: 'Username-Password-Authentication',
      strategy: 'auth0',
    },
    tenant: { id: 'bank-dev' },
    stats: { logins_count: 7 },
    secrets: {
      [STEP_UP_SECRET_NAMES.bankingApiIdentifier]: BANKING_API_IDENTIFIER,
      [STEP_UP_SECRET_NAMES.stepUpClientIds]: TEST_SPA_CLIENT_ID,
    },
  };
}

export function buildPostLoginEvent(overrides: PostLoginEventOverrides = {}): PostLoginEvent {
  return mergeEvent(defaultPostLoginEvent(), overrides);
}
