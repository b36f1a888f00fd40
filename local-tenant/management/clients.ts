// /api/v2/clients (docs/auth0-facts.md §6): generated client_id/secret, defaults by app_type,
// public clients cannot use client_credentials, private_key_jwt credentials
// (/clients/{id}/credentials).
import type { z } from 'zod';
import { badRequest, notFound } from '../errors.js';
import { newIds } from '../ids.js';
import type { TenantContext } from '../context.js';
import type { ClientRecord, JsonObject, TenantState } from '../state/types.js';
import { paginate, projectFields, queryBoolean, queryString } from './pagination.js';
import { parseBody } from './validation.js';
import { withoutUndefined, type ManagementRoute } from './routes.js';
import { credentialResponse, newCredential } from './client-credentials-store.js';
import {
  checkCredentialTypes,
  chosenMethod,
  createSchema,
  updateSchema,
} from './client-schemas.js';
import { clientSigningKeys } from './signing-certificate.js';

const publicAppTypes = new Set(['spa', 'native']);
const missing = () => notFound('The client does not exist', 'inexistent_client');

function defaultGrantTypes(type: string): string[] {
  if (publicAppTypes.has(type)) return ['implicit', 'authorization_code', 'refresh_token'];
  if (type === 'non_interactive') return ['client_credentials'];
  return ['authorization_code', 'implicit', 'refresh_token', 'client_credentials'];
}

function checkGrantTypes(client: ClientRecord): void {
  if (
    client.token_endpoint_auth_method === 'none' &&
    client.grant_types.includes('client_credentials')
  ) {
    throw badRequest('Invalid grant types: client_credentials', 'invalid_body');
  }
}

export function findClient(
  state: Readonly<TenantState>,
  clientId: string,
): ClientRecord | undefined {
  return state.clients.find((client) => client.client_id === clientId);
}

function defaultedFields(client: ClientRecord): string[] {
  const fields = client.defaulted_fields;
  return Array.isArray(fields) ? fields.filter((field) => typeof field === 'string') : [];
}

export interface ClientView {
  includeSecret: boolean;
  /** The tenant's signing certificates, listed on every client (`signing_keys`). */
  signingKeys: JsonObject[];
  /** A create lists the new credentials in full; later reads only their ids (recorded). */
  created?: boolean;
}

export function clientResponse(
  client: ClientRecord,
  state: Readonly<TenantState>,
  view: ClientView,
): JsonObject {
  const { client_secret, credentials_method, defaulted_fields: _defaulted, ...rest } = client;
  for (const field of defaultedFields(client)) delete rest[field];
  const credentials = state.client_credentials[client.client_id] ?? [];
  const usesCredentials = client.token_endpoint_auth_method === null && credentials.length > 0;
  return withoutUndefined({
    ...rest,
    ...(view.includeSecret ? { client_secret } : {}),
    signing_keys: view.signingKeys,
    ...(usesCredentials
      ? {
          client_authentication_methods: {
            [typeof credentials_method === 'string' ? credentials_method : 'private_key_jwt']: {
              credentials: credentials.map((credential) =>
                view.created ? credentialResponse(credential, 'created') : { id: credential.id },
              ),
            },
          },
        }
      : {}),
    ...(client.token_endpoint_auth_method === null
      ? { token_endpoint_auth_method: undefined }
      : {}),
    // cast: credentialResponse builds its JSON from a typed record; its optional fields are dropped above.
  }) as JsonObject;
}

export function createClientRecord(input: z.infer<typeof createSchema>): ClientRecord {
  const { client_authentication_methods: methods, cross_origin_auth, ...fields } = input;
  const type = input.app_type ?? 'regular_web';
  // Auth0 echoes app_type and token_endpoint_auth_method only when they were sent (recorded client
  // creates); the local tenant still needs their effective values for logins.
  const defaulted = [
    ...(input.app_type === undefined ? ['app_type'] : []),
    ...(input.token_endpoint_auth_method === undefined ? ['token_endpoint_auth_method'] : []),
  ];
  const linkedToApi = type === 'resource_server';
  // Auth0 mirrors oidc_logout's back-channel URLs in the older oidc_backchannel_logout (recorded).
  const logout = input.oidc_logout;
  const backchannel =
    logout && Array.isArray(logout.backchannel_logout_urls)
      ? { oidc_backchannel_logout: { backchannel_logout_urls: logout.backchannel_logout_urls } }
      : {};
  return withoutUndefined({
    is_first_party: true,
    is_token_endpoint_ip_header_trusted: false,
    oidc_conformant: false,
    sso_disabled: false,
    cross_origin_authentication: cross_origin_auth ?? false,
    custom_login_page_on: true,
    refresh_token: {
      rotation_type: 'non-rotating',
      expiration_type: 'non-expiring',
      leeway: 0,
      token_lifetime: 2_592_000,
      infinite_token_lifetime: true,
      infinite_idle_token_lifetime: true,
      idle_token_lifetime: 1_296_000,
    },
    ...fields,
    jwt_configuration: {
      secret_encoded: false,
      lifetime_in_seconds: 36_000,
      ...input.jwt_configuration,
    },
    ...(linkedToApi && input.oidc_conformant === undefined ? { oidc_conformant: true } : {}),
    ...(type === 'express_configuration' ? expressConfigurationDefaults : {}),
    ...backchannel,
    name: input.name,
    client_id: newIds.clientId(),
    client_secret: newIds.clientSecret(),
    app_type: type,
    grant_types: input.grant_types ?? (linkedToApi ? [] : defaultGrantTypes(type)),
    token_endpoint_auth_method: methods
      ? null
      : (input.token_endpoint_auth_method ??
        (publicAppTypes.has(type) ? 'none' : 'client_secret_post')),
    ...(methods ? { credentials_method: chosenMethod(methods) } : {}),
    ...(defaulted.length > 0 ? { defaulted_fields: defaulted } : {}),
  });
}

// Okta's Express Configuration application (recorded TestClientGrant_ExpressConfiguration). It holds no grants.
const expressConfigurationDefaults: JsonObject = {
  oidc_conformant: true,
  callbacks: ['https://system-admin.okta.com/admin/app/generic/oauth20redirect'],
  grant_types: ['authorization_code', 'client_credentials'],
  organization_usage: 'require',
  organization_require_behavior: 'pre_login_prompt',
  async_approval_notification_channels: ['guardian-push'],
  client_authentication_methods: { private_key_jwt: { credentials: [] } },
};

export function registerClientRoutes(route: ManagementRoute, tenant: TenantContext): void {
  const { store } = tenant;

  const view = async (includeSecret: boolean, created = false): Promise<ClientView> => ({
    includeSecret,
    signingKeys: await clientSigningKeys(tenant),
    created,
  });

  route('GET', '/clients', 'read:clients', async ({ query, caller }) => {
    const clientView = await view(caller.scopes.has('read:client_keys'));
    const isGlobal = queryBoolean(query, 'is_global');
    const isFirstParty = queryBoolean(query, 'is_first_party');
    const appTypes = queryString(query, 'app_type')?.split(',');
    const state = store.snapshot;
    const clients = state.clients
      // The local tenant has no global (legacy "All Applications") client.
      .filter(() => isGlobal !== true)
      .filter((client) => isFirstParty === undefined || client.is_first_party === isFirstParty)
      .filter((client) => !appTypes || appTypes.includes(client.app_type))
      .map((client) => projectFields(clientResponse(client, state, clientView), query));
    return paginate(clients, query, 'clients');
  });

  route('GET', '/clients/:id', 'read:clients', async ({ params, query, caller }) => {
    const client = findClient(store.snapshot, params.id ?? '');
    if (!client) throw missing();
    const clientView = await view(caller.scopes.has('read:client_keys'));
    return projectFields(clientResponse(client, store.snapshot, clientView), query);
  });

  route('POST', '/clients', 'create:clients', async ({ body, reply }) => {
    const input = parseBody(createSchema, body);
    const methods = input.client_authentication_methods;
    if (methods) checkCredentialTypes(methods);
    const credentials = methods?.[chosenMethod(methods)]?.credentials.map(newCredential);
    const record = createClientRecord(input);
    checkGrantTypes(record);
    const clientView = await view(true, true);
    store.mutate((state) => {
      if (
        input.resource_server_identifier !== undefined &&
        (input.app_type !== 'resource_server' ||
          !state.resource_servers.some(
            (server) => server.identifier === input.resource_server_identifier,
          ))
      )
        throw badRequest(
          `Payload validation error: 'resource_server_identifier must name an existing API, with app_type resource_server'.`,
        );
      state.clients.push(record);
      if (credentials) state.client_credentials[record.client_id] = credentials;
    });
    reply.code(201);
    return clientResponse(record, store.snapshot, clientView);
  });

  route('PATCH', '/clients/:id', 'update:clients', async ({ params, body, caller }) => {
    const input = parseBody(updateSchema, body);
    const clientView = await view(
      caller.scopes.has('read:client_keys') || input.client_secret !== undefined,
    );
    return store.mutate((state) => {
      const client = findClient(state, params.id ?? '');
      if (!client) throw missing();
      const { client_authentication_methods: methods, cross_origin_auth, ...fields } = input;
      for (const [key, value] of Object.entries(fields)) {
        if (value === undefined) continue;
        // null removes an optional setting (recorded: session_transfer, organization_discovery_methods).
        if (value === null && key !== 'par_request_expiry') delete client[key];
        else client[key] = value;
        client.defaulted_fields = defaultedFields(client).filter((field) => field !== key);
      }
      if (cross_origin_auth !== undefined) client.cross_origin_authentication = cross_origin_auth;
      if (methods) {
        const known = new Set(
          (state.client_credentials[client.client_id] ?? []).map(({ id }) => id),
        );
        const method = chosenMethod(methods);
        const references = methods[method]?.credentials ?? [];
        const unknown = references.find(({ id }) => !known.has(id));
        if (unknown)
          throw badRequest(
            `Credential ${unknown.id} does not belong to this client.`,
            'invalid_body',
          );
        const keep = new Set(references.map(({ id }) => id));
        client.credentials_method = method;
        state.client_credentials[client.client_id] = (
          state.client_credentials[client.client_id] ?? []
        ).filter(({ id }) => keep.has(id));
        client.token_endpoint_auth_method = null;
      } else if (methods === null && client.token_endpoint_auth_method === null) {
        client.token_endpoint_auth_method = 'client_secret_post';
      }
      if (
        client.token_endpoint_auth_method === null &&
        (state.client_credentials[client.client_id] ?? []).length === 0
      ) {
        throw badRequest(
          'token_endpoint_auth_method can only be null when the client has private_key_jwt credentials.',
          'invalid_body',
        );
      }
      checkGrantTypes(client);
      return clientResponse(client, state, clientView);
    });
  });

  // 204 also when the client is already gone (recorded: TestClient_Delete).
  route('DELETE', '/clients/:id', 'delete:clients', ({ params, reply }) => {
    reply.code(204);
    if (!findClient(store.snapshot, params.id ?? '')) return;
    store.mutate((state) => {
      state.clients = state.clients.filter((client) => client.client_id !== params.id);
      state.client_grants = state.client_grants.filter((grant) => grant.client_id !== params.id);
      delete state.client_credentials[params.id ?? ''];
      for (const connection of state.connections) {
        connection.enabled_clients = connection.enabled_clients.filter(
          (clientId) => clientId !== params.id,
        );
      }
    });
  });

  route('POST', '/clients/:id/rotate-secret', 'update:client_keys', async ({ params }) => {
    const clientView = await view(true);
    return store.mutate((state) => {
      const client = findClient(state, params.id ?? '');
      if (!client) throw missing();
      client.client_secret = newIds.clientSecret();
      return clientResponse(client, state, clientView);
    });
  });
}
