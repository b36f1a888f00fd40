// /api/v2/clients (auth0-facts §6): generated client_id/secret, defaults by app_type, public clients cannot
// use client_credentials, private_key_jwt credentials (/clients/{id}/credentials).
import { z } from 'zod';
import { badRequest, notFound } from '../errors.js';
import { newIds } from '../ids.js';
import type { TenantContext } from '../context.js';
import type { ClientRecord, JsonObject, TenantState } from '../state/types.js';
import { paginate, projectFields, queryBoolean, queryString } from './pagination.js';
import { parseBody } from './validation.js';
import { withoutUndefined, type ManagementRoute } from './routes.js';
import {
  credentialInputSchema,
  credentialResponse,
  newCredential,
} from './client-credentials-store.js';

const json = z.json();
const urlList = z.array(z.string());
const authMethod = z.enum(['none', 'client_secret_post', 'client_secret_basic']);
const appType = z.enum([
  'native',
  'spa',
  'regular_web',
  'non_interactive',
  'resource_server',
  'express_configuration',
  'rms',
  'box',
  'cloudbees',
  'concur',
  'dropbox',
  'mscrm',
  'echosign',
  'egnyte',
  'newrelic',
  'office365',
  'salesforce',
  'sentry',
  'sharepoint',
  'slack',
  'springcm',
  'zendesk',
  'zoom',
  'sso_integration',
  'oag',
]);
const credentialReference = z.strictObject({ id: z.string() });

const editableFields = {
  name: z.string().min(1).optional(),
  description: z.string().max(140).optional(),
  logo_uri: z.string().optional(),
  callbacks: urlList.optional(),
  allowed_origins: urlList.optional(),
  web_origins: urlList.optional(),
  client_aliases: urlList.optional(),
  allowed_clients: urlList.optional(),
  allowed_logout_urls: urlList.optional(),
  grant_types: z.array(z.string()).optional(),
  app_type: appType.optional(),
  is_first_party: z.boolean().optional(),
  is_token_endpoint_ip_header_trusted: z.boolean().optional(),
  oidc_conformant: z.boolean().optional(),
  jwt_configuration: json.optional(),
  encryption_key: json.optional(),
  sso: z.boolean().optional(),
  sso_disabled: z.boolean().optional(),
  cross_origin_authentication: z.boolean().optional(),
  cross_origin_auth: z.boolean().optional(),
  cross_origin_loc: z.string().optional(),
  custom_login_page_on: z.boolean().optional(),
  custom_login_page: z.string().optional(),
  custom_login_page_preview: z.string().optional(),
  form_template: z.string().optional(),
  addons: json.optional(),
  client_metadata: z.record(z.string(), z.string().nullable()).optional(),
  mobile: json.optional(),
  initiate_login_uri: z.string().optional(),
  native_social_login: json.optional(),
  refresh_token: json.optional(),
  default_organization: json.optional(),
  organization_usage: z.enum(['deny', 'allow', 'require']).optional(),
  organization_require_behavior: z
    .enum(['no_prompt', 'pre_login_prompt', 'post_login_prompt'])
    .optional(),
  organization_discovery_methods: json.optional(),
  require_pushed_authorization_requests: z.boolean().optional(),
  require_proof_of_possession: z.boolean().optional(),
  signed_request_object: json.optional(),
  compliance_level: json.optional(),
  oidc_logout: json.optional(),
  oidc_backchannel_logout: json.optional(),
  token_exchange: json.optional(),
  par_request_expiry: z.number().int().nullable().optional(),
  token_quota: json.optional(),
  session_transfer: json.optional(),
  skip_non_verifiable_callback_uri_confirmation_prompt: z.boolean().optional(),
};

const createSchema = z.strictObject({
  ...editableFields,
  name: z.string().min(1),
  token_endpoint_auth_method: authMethod.optional(),
  client_authentication_methods: z
    .strictObject({
      private_key_jwt: z.strictObject({ credentials: z.array(credentialInputSchema).min(1) }),
    })
    .optional(),
});

const updateSchema = z.strictObject({
  ...editableFields,
  client_secret: z.string().min(32).optional(),
  token_endpoint_auth_method: authMethod.nullable().optional(),
  client_authentication_methods: z
    .strictObject({
      private_key_jwt: z.strictObject({ credentials: z.array(credentialReference) }),
    })
    .nullable()
    .optional(),
});

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

export function clientResponse(
  client: ClientRecord,
  state: Readonly<TenantState>,
  includeSecret: boolean,
): JsonObject {
  const { client_secret, ...rest } = client;
  const credentials = state.client_credentials[client.client_id] ?? [];
  const usesKeys = client.token_endpoint_auth_method === null && credentials.length > 0;
  return withoutUndefined({
    ...rest,
    ...(includeSecret ? { client_secret } : {}),
    ...(usesKeys
      ? {
          client_authentication_methods: {
            private_key_jwt: { credentials: credentials.map(({ id }) => ({ id })) },
          },
        }
      : {}),
    ...(client.token_endpoint_auth_method === null
      ? { token_endpoint_auth_method: undefined }
      : {}),
  });
}

export function createClientRecord(input: z.infer<typeof createSchema>): ClientRecord {
  const { client_authentication_methods: _methods, cross_origin_auth, ...fields } = input;
  const type = input.app_type ?? 'regular_web';
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
    ...(fields as JsonObject),
    jwt_configuration: {
      secret_encoded: false,
      lifetime_in_seconds: 36_000,
      ...(input.jwt_configuration as JsonObject | undefined),
    },
    name: input.name,
    client_id: newIds.clientId(),
    client_secret: newIds.clientSecret(),
    app_type: type,
    grant_types: input.grant_types ?? defaultGrantTypes(type),
    token_endpoint_auth_method: input.client_authentication_methods
      ? null
      : (input.token_endpoint_auth_method ??
        (publicAppTypes.has(type) ? 'none' : 'client_secret_post')),
  }) as ClientRecord;
}

export function registerClientRoutes(route: ManagementRoute, tenant: TenantContext): void {
  const { store } = tenant;

  route('GET', '/clients', 'read:clients', ({ query, caller }) => {
    const isGlobal = queryBoolean(query, 'is_global');
    const isFirstParty = queryBoolean(query, 'is_first_party');
    const appTypes = queryString(query, 'app_type')?.split(',');
    const state = store.snapshot;
    const clients = state.clients
      // The local tenant has no global (legacy "All Applications") client.
      .filter(() => isGlobal !== true)
      .filter((client) => isFirstParty === undefined || client.is_first_party === isFirstParty)
      .filter((client) => !appTypes || appTypes.includes(client.app_type))
      .map((client) =>
        projectFields(clientResponse(client, state, caller.scopes.has('read:client_keys')), query),
      );
    return paginate(clients, query, 'clients');
  });

  route('GET', '/clients/:id', 'read:clients', ({ params, query, caller }) => {
    const client = findClient(store.snapshot, params.id ?? '');
    if (!client) throw missing();
    return projectFields(
      clientResponse(client, store.snapshot, caller.scopes.has('read:client_keys')),
      query,
    );
  });

  route('POST', '/clients', 'create:clients', ({ body, reply }) => {
    const input = parseBody(createSchema, body);
    const credentials =
      input.client_authentication_methods?.private_key_jwt.credentials.map(newCredential);
    const record = createClientRecord(input);
    checkGrantTypes(record);
    store.mutate((state) => {
      state.clients.push(record);
      if (credentials) state.client_credentials[record.client_id] = credentials;
    });
    reply.code(201);
    return clientResponse(record, store.snapshot, true);
  });

  route('PATCH', '/clients/:id', 'update:clients', ({ params, body, caller }) => {
    const input = parseBody(updateSchema, body);
    return store.mutate((state) => {
      const client = findClient(state, params.id ?? '');
      if (!client) throw missing();
      const { client_authentication_methods: methods, cross_origin_auth, ...fields } = input;
      for (const [key, value] of Object.entries(fields)) {
        if (value !== undefined) client[key] = value as JsonObject[string];
      }
      if (cross_origin_auth !== undefined) client.cross_origin_authentication = cross_origin_auth;
      if (methods) {
        const known = new Set(
          (state.client_credentials[client.client_id] ?? []).map(({ id }) => id),
        );
        const unknown = methods.private_key_jwt.credentials.find(({ id }) => !known.has(id));
        if (unknown)
          throw badRequest(
            `Credential ${unknown.id} does not belong to this client.`,
            'invalid_body',
          );
        const keep = new Set(methods.private_key_jwt.credentials.map(({ id }) => id));
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
      return clientResponse(
        client,
        state,
        caller.scopes.has('read:client_keys') || input.client_secret !== undefined,
      );
    });
  });

  route('DELETE', '/clients/:id', 'delete:clients', ({ params, reply }) => {
    store.mutate((state) => {
      if (!findClient(state, params.id ?? '')) throw missing();
      state.clients = state.clients.filter((client) => client.client_id !== params.id);
      state.client_grants = state.client_grants.filter((grant) => grant.client_id !== params.id);
      delete state.client_credentials[params.id ?? ''];
      for (const connection of state.connections) {
        connection.enabled_clients = connection.enabled_clients.filter(
          (clientId) => clientId !== params.id,
        );
      }
    });
    reply.code(204);
  });

  route('POST', '/clients/:id/rotate-secret', 'update:client_keys', ({ params }) =>
    store.mutate((state) => {
      const client = findClient(state, params.id ?? '');
      if (!client) throw missing();
      client.client_secret = newIds.clientSecret();
      return clientResponse(client, state, true);
    }),
  );

  route('GET', '/clients/:id/credentials', 'read:client_credentials', ({ params }) => {
    if (!findClient(store.snapshot, params.id ?? '')) throw missing();
    return (store.snapshot.client_credentials[params.id ?? ''] ?? []).map(credentialResponse);
  });

  route(
    'POST',
    '/clients/:id/credentials',
    'create:client_credentials',
    ({ params, body, reply }) => {
      const input = parseBody(credentialInputSchema, body);
      const credential = newCredential(input);
      store.mutate((state) => {
        if (!findClient(state, params.id ?? '')) throw missing();
        (state.client_credentials[params.id ?? ''] ??= []).push(credential);
      });
      reply.code(201);
      return credentialResponse(credential);
    },
  );

  route(
    'GET',
    '/clients/:id/credentials/:credentialId',
    'read:client_credentials',
    ({ params }) => {
      if (!findClient(store.snapshot, params.id ?? '')) throw missing();
      const credential = (store.snapshot.client_credentials[params.id ?? ''] ?? []).find(
        ({ id }) => id === params.credentialId,
      );
      if (!credential) throw notFound('The credential does not exist', 'inexistent_credential');
      return credentialResponse(credential);
    },
  );

  route(
    'DELETE',
    '/clients/:id/credentials/:credentialId',
    'delete:client_credentials',
    ({ params, reply }) => {
      store.mutate((state) => {
        if (!findClient(state, params.id ?? '')) throw missing();
        const list = state.client_credentials[params.id ?? ''] ?? [];
        if (!list.some(({ id }) => id === params.credentialId))
          throw notFound('The credential does not exist', 'inexistent_credential');
        state.client_credentials[params.id ?? ''] = list.filter(
          ({ id }) => id !== params.credentialId,
        );
      });
      reply.code(204);
    },
  );
}
