// Typings for Auth0's credentials-exchange trigger v2 (`event`, `api`), which runs when /oauth/token issues a
// client-credentials (machine-to-machine) access token, before it is returned. Written from the reference pages
// https://auth0.com/docs/customize/actions/explore-triggers/machine-to-machine-trigger/credentials-exchange-event-object
// and …/credentials-exchange-api-object. Only documented fields; what Auth0 marks optional is optional here.
import type { ActionCacheApi } from './common.js';
import type { ClaimValue } from './post-login.js';

export type { ClaimValue };

export interface CredentialsExchangeClient {
  client_id: string;
  name: string;
  /** The client's client_metadata (string values). */
  metadata: Record<string, string>;
}

export interface CredentialsExchangeRequest {
  ip: string;
  method: string;
  hostname?: string;
  language?: string;
  user_agent?: string;
  /** The POST body of the token request (Auth0 documents it for this trigger); never the credentials. */
  body?: Record<string, unknown>;
  geoip: {
    cityName?: string;
    continentCode?: string;
    countryCode?: string;
    countryCode3?: string;
    countryName?: string;
    latitude?: number;
    longitude?: number;
    subdivisionCode?: string;
    subdivisionName?: string;
    timeZone?: string;
  };
}

export interface CredentialsExchangeEvent {
  /** The token to be issued: the scopes of the client grant and claims set so far. */
  accessToken: { customClaims: Record<string, ClaimValue>; scope: string[] };
  client: CredentialsExchangeClient;
  custom_domain?: { domain: string; domain_metadata?: Record<string, string> };
  organization?: {
    id: string;
    name: string;
    display_name?: string;
    metadata?: Record<string, string>;
  };
  request: CredentialsExchangeRequest;
  /** The API the token is for. */
  resource_server: { identifier: string };
  /** Secrets bound to this Action; a secret that was never set is simply absent. */
  secrets: Readonly<Record<string, string | undefined>>;
  tenant: { id: string };
  transaction?: { requested_scopes?: string[] };
}

/** The OAuth error codes `api.access.deny` accepts (Auth0 documents exactly these three). */
export type CredentialsExchangeDenyCode = 'invalid_scope' | 'invalid_request' | 'server_error';

export interface CredentialsExchangeApi {
  access: {
    /** Refuses the token: /oauth/token answers with `code` as the OAuth error and `reason` as its description. */
    deny(code: CredentialsExchangeDenyCode, reason?: string): void;
  };
  accessToken: {
    /** Restricted names (aud, sub, scope-like registered claims …) are silently dropped, as in post-login. */
    setCustomClaim(name: string, value: ClaimValue): void;
  };
  cache: ActionCacheApi;
}

export type OnExecuteCredentialsExchange = (
  event: CredentialsExchangeEvent,
  api: CredentialsExchangeApi,
) => Promise<void>;
