// The parts of an Action's `event` and `api` that several triggers share, written from Auth0's reference pages
// (https://auth0.com/docs/customize/actions/explore-triggers). `@auth0/actions` is not installable here. Only
// documented fields; everything Auth0 marks optional is optional so Actions must handle its absence.

/** Secrets bound to the Action; a secret that was never set is simply absent. */
export type ActionSecrets = Readonly<Record<string, string | undefined>>;

export interface GeoIp {
  cityName?: string;
  countryCode?: string;
  countryCode3?: string;
  countryName?: string;
  continentCode?: string;
  subdivisionCode?: string;
  subdivisionName?: string;
  latitude?: number;
  longitude?: number;
  timeZone?: string;
}

/** `event.request`: the HTTP request that started the transaction. */
export interface ActionRequest {
  ip: string;
  method: string;
  hostname?: string;
  language?: string;
  user_agent?: string;
  asn?: string;
  query?: Record<string, unknown>;
  /** The POST body; Auth0 fills it only in some flows (e.g. pre-user-registration, refresh tokens). */
  body?: Record<string, unknown>;
  geoip: GeoIp;
}

export interface ActionTenant {
  /** The tenant's name. */
  id: string;
}

export interface ActionConnection {
  id: string;
  name: string;
  /** `auth0` for database connections; equal to `name` for social ones. */
  strategy: string;
  metadata?: Record<string, string>;
}

export interface ActionClient {
  client_id: string;
  name: string;
  metadata: Record<string, string>;
}

export interface UserIdentity {
  provider: string;
  user_id: string;
  connection: string;
  isSocial: boolean;
}

/** Profile fields every user-bearing event documents as optional. */
export interface UserProfile {
  email?: string;
  email_verified?: boolean;
  name?: string;
  nickname?: string;
  given_name?: string;
  family_name?: string;
  picture?: string;
  phone_number?: string;
  phone_verified?: boolean;
  username?: string;
}

/** A user that exists in the tenant (post-login, post-user-registration, send-phone-message). */
export interface ActionUser extends UserProfile {
  user_id: string;
  created_at: string;
  updated_at: string;
  last_password_reset?: string;
  app_metadata: Record<string, unknown>;
  user_metadata: Record<string, unknown>;
  identities: UserIdentity[];
}

/** `event.transaction` of the signup triggers (post-login has a richer one). */
export interface SignupTransaction {
  acr_values: string[];
  locale: string;
  login_hint?: string;
  prompt?: string[];
  protocol?: string;
  redirect_uri?: string;
  requested_scopes?: string[];
  response_mode?: 'query' | 'fragment' | 'form_post' | 'web_message';
  response_type?: string[];
  state?: string;
  ui_locales: string[];
  correlation_id?: string;
}

/** `event.security_context`: TLS fingerprints, only when the request came through Cloudflare. */
export interface SecurityContext {
  ja3?: string;
  ja4?: string;
}

export interface CustomDomain {
  domain: string;
  domain_metadata?: Record<string, string>;
}

/** JSON-serialisable value (custom claims, metadata). */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface CacheRecord {
  value: string;
  /** Milliseconds since the epoch. */
  expires_at: number;
}

export type CacheWriteResult =
  { type: 'success'; record?: CacheRecord } | { type: 'error'; code: string };

/** `api.cache`, the same on every trigger: short-lived, per-Action, not guaranteed to survive. */
export interface ActionCacheApi {
  get(key: string): CacheRecord | undefined;
  set(
    key: string,
    value: string,
    options?: { ttl?: number; expires_at?: number },
  ): CacheWriteResult;
  delete(key: string): CacheWriteResult;
}
