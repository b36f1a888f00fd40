// Defaults the trigger kits share: a customer who signs up to the banking SPA from London over the database
// connection. Each call returns fresh objects, so a test may mutate what it gets.
import type {
  ActionClient,
  ActionConnection,
  ActionRequest,
  ActionTenant,
  ActionUser,
} from '../../types/common.js';

export const TEST_TENANT: ActionTenant = { id: 'bank-dev' };

export function testConnection(): ActionConnection {
  return { id: 'con_Pw9x1Ld0Q7', name: 'Username-Password-Authentication', strategy: 'auth0' };
}

export function testClient(): ActionClient {
  return { client_id: 'spa0Banking0Client0Id0000000000', name: 'Banking SPA', metadata: {} };
}

export function testRequest(): ActionRequest {
  return {
    ip: '203.0.113.10',
    method: 'POST',
    hostname: 'bank-dev.eu.auth0.com',
    language: 'en-GB',
    user_agent:
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0',
    geoip: {
      cityName: 'London',
      countryCode: 'GB',
      countryCode3: 'GBR',
      continentCode: 'EU',
      timeZone: 'Europe/London',
    },
  };
}

/** A user created a minute ago on the database connection. */
export function testUser(): ActionUser {
  return {
    user_id: 'auth0|6571c3a1d00dfeed0002b3c4',
    email: 'grace@example.com',
    email_verified: false,
    name: 'grace@example.com',
    nickname: 'grace',
    picture: 'https://s.gravatar.com/avatar/grace.png',
    phone_number: '+447700900123',
    phone_verified: true,
    created_at: '2026-12-01T23:00:00.000Z',
    updated_at: '2026-12-01T23:00:00.000Z',
    app_metadata: {},
    user_metadata: {},
    identities: [
      {
        provider: 'auth0',
        user_id: '6571c3a1d00dfeed0002b3c4',
        connection: 'Username-Password-Authentication',
        isSocial: false,
      },
    ],
  };
}
