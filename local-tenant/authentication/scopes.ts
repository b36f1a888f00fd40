// Which scopes a user-delegated token receives (docs/auth0-facts.md §4), before Actions add or
// remove any.
import type { ClientRecord, ResourceServerRecord, UserRecord } from '../state/types.js';
import { isRecord } from '../../lib/guards.js';

/** OIDC scopes Auth0 passes through for any client (they govern ID token / userinfo claims). */
const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'address', 'phone', 'offline_access']);

export function parseScope(value: string | undefined): string[] {
  return [...new Set((value ?? '').split(/\s+/).filter(Boolean))];
}

export function isRbacEnabled(api: ResourceServerRecord | undefined): boolean {
  return api?.enforce_policies === true;
}

export function addsPermissionsClaim(api: ResourceServerRecord | undefined): boolean {
  return (
    isRbacEnabled(api) &&
    (api?.token_dialect === 'access_token_authz' || api?.token_dialect === 'rfc9068_profile_authz')
  );
}

/**
 * The user's permissions on an API. The local tenant has no roles API yet: permissions are read from the user's
 * `app_metadata.permissions` as Auth0's GET /users/{id}/permissions shape
 * `[{resource_server_identifier, permission_name}]`.
 */
export function userPermissions(user: UserRecord, audience: string): string[] {
  const raw = user.app_metadata.permissions;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((entry) =>
    isRecord(entry) &&
    entry.resource_server_identifier === audience &&
    typeof entry.permission_name === 'string'
      ? [entry.permission_name]
      : [],
  );
}

export interface ScopeDecision {
  /** Everything granted: OIDC scopes + API scopes (this is the access token's `scope`). */
  granted: string[];
  /** RBAC with an _authz dialect: the `permissions` claim. */
  permissions?: string[];
}

/**
 * RBAC off: requested ∩ defined on the API (undefined API scopes are dropped — UNCONFIRMED in
 * docs/auth0-facts.md §4). RBAC on: requested ∩ the user's permissions. With no `scope` requested
 * on the password grant, Auth0 returns all API scopes (`allWhenNoneRequested`). offline_access only
 * when the API allows offline access and the client may use the refresh_token grant.
 */
export function decideUserScopes(input: {
  requested: string[];
  api: ResourceServerRecord | undefined;
  user: UserRecord;
  client: ClientRecord;
  allWhenNoneRequested?: boolean;
}): ScopeDecision {
  const { requested, api, user, client } = input;
  const defined = (api?.scopes ?? []).map((scope) => scope.value);
  const apiRequested = requested.filter((scope) => !OIDC_SCOPES.has(scope));
  const wanted = apiRequested.length === 0 && input.allWhenNoneRequested ? defined : apiRequested;
  const permissions = api ? userPermissions(user, api.identifier) : [];
  const apiGranted = api
    ? wanted.filter((scope) =>
        isRbacEnabled(api) ? permissions.includes(scope) : defined.includes(scope),
      )
    : [];
  const offlineAllowed =
    (api ? api.allow_offline_access === true : true) &&
    client.grant_types.includes('refresh_token');
  const oidcGranted = requested.filter(
    (scope) => OIDC_SCOPES.has(scope) && (scope !== 'offline_access' || offlineAllowed),
  );
  return {
    granted: [...oidcGranted, ...apiGranted],
    ...(addsPermissionsClaim(api) ? { permissions } : {}),
  };
}
