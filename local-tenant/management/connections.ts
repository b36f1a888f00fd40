// /api/v2/connections: database (and other) connections with enabled clients
// (GO-REC TestConnectionManager_EnabledClients: PATCH …/clients → 204, DELETE → 202 {deleted_at}).
import { z } from 'zod';
import { badRequest, conflict, notFound } from '../errors.js';
import { newIds } from '../ids.js';
import type { TenantContext } from '../context.js';
import type { ConnectionRecord, JsonObject, TenantState } from '../state/types.js';
import { paginate, projectFields, queryString, queryStrings } from './pagination.js';
import { parseBody } from './validation.js';
import { withoutUndefined, type ManagementRoute } from './routes.js';

const json = z.json().optional();
const editable = {
  display_name: z.string().max(128).optional(),
  options: z.record(z.string(), z.json()).optional(),
  enabled_clients: z.array(z.string()).optional(),
  is_domain_connection: z.boolean().optional(),
  show_as_button: z.boolean().optional(),
  realms: z.array(z.string()).optional(),
  metadata: z.record(z.string(), z.string()).optional(),
  authentication: json,
  connected_accounts: json,
};
const createSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[a-zA-Z0-9](-?[a-zA-Z0-9])*$/, 'Invalid connection name'),
  strategy: z.string().min(1),
  ...editable,
});
const updateSchema = z.strictObject(editable);
const enabledClientsSchema = z
  .array(z.strictObject({ client_id: z.string().min(1), status: z.boolean() }))
  .min(1);

const missing = () => notFound('The connection does not exist', 'inexistent_connection');

// Fields Auth0 adds by strategy (go-auth0 recordings, TestConnectionManager_Create and later): enterprise
// connections get show_as_button and (directory-backed ones) a provisioning ticket URL; Azure AD, OIDC and
// Okta a display name; database, LINE, OIDC and Okta connections the authentication / connected_accounts
// switches.
const enterpriseStrategies = new Set([
  'ad',
  'adfs',
  'google-apps',
  'pingfederate',
  'samlp',
  'waad',
  'okta',
  'oidc',
]);
const provisionedStrategies = new Set([
  'ad',
  'adfs',
  'google-apps',
  'pingfederate',
  'samlp',
  'waad',
]);
const displayNamedStrategies = new Set(['waad', 'oidc', 'okta']);
const switchedStrategies = new Set(['auth0', 'line', 'oidc', 'okta']);

function strategyDefaults(strategy: string, name: string, baseUrl: string): JsonObject {
  return {
    ...(enterpriseStrategies.has(strategy) ? { show_as_button: false } : {}),
    ...(provisionedStrategies.has(strategy)
      ? { provisioning_ticket_url: `${baseUrl}/p/${strategy}/${newIds.connection().slice(4)}` }
      : {}),
    ...(displayNamedStrategies.has(strategy) ? { display_name: name } : {}),
    ...(switchedStrategies.has(strategy)
      ? { authentication: { active: true }, connected_accounts: { active: false } }
      : {}),
  };
}

/** The API view: records written by older versions carried created_at, which Auth0 does not return. */
export function connectionResponse(connection: ConnectionRecord): JsonObject {
  const { created_at: _created, ...rest } = connection;
  return rest;
}

export function findConnection(
  state: Readonly<TenantState>,
  id: string,
): ConnectionRecord | undefined {
  return state.connections.find((connection) => connection.id === id);
}

function checkClientsExist(state: Readonly<TenantState>, clientIds: string[]): void {
  const unknown = clientIds.find(
    (clientId) => !state.clients.some((client) => client.client_id === clientId),
  );
  if (unknown) throw badRequest(`The client ${unknown} does not exist.`, 'inexistent_client');
}

export function registerConnectionRoutes(route: ManagementRoute, tenant: TenantContext): void {
  const { store } = tenant;

  route('GET', '/connections', 'read:connections', ({ query }) => {
    const strategies = queryStrings(query, 'strategy');
    const name = queryString(query, 'name');
    const connections = store.snapshot.connections
      .filter((connection) => strategies.length === 0 || strategies.includes(connection.strategy))
      .filter((connection) => !name || connection.name === name)
      .map((connection) => projectFields(connectionResponse(connection), query));
    return paginate(connections, query, 'connections', { checkpoint: true });
  });

  route('GET', '/connections/:id', 'read:connections', ({ params, query }) => {
    const connection = findConnection(store.snapshot, params.id ?? '');
    if (!connection) throw missing();
    return projectFields(connectionResponse(connection), query);
  });

  route('POST', '/connections', 'create:connections', ({ body, reply }) => {
    const input = parseBody(createSchema, body);
    const created = store.mutate((state) => {
      if (state.connections.some((connection) => connection.name === input.name)) {
        throw conflict('A connection with the same name already exists', 'connection_conflict');
      }
      checkClientsExist(state, input.enabled_clients ?? []);
      const record = withoutUndefined({
        id: newIds.connection(),
        is_domain_connection: false,
        realms: [input.name],
        ...strategyDefaults(input.strategy, input.name, tenant.baseUrl),
        ...input,
        name: input.name,
        strategy: input.strategy,
        options:
          input.options ??
          (input.strategy === 'auth0'
            ? { passwordPolicy: 'good', brute_force_protection: true }
            : {}),
        enabled_clients: input.enabled_clients ?? [],
      });
      state.connections.push(record);
      return record;
    });
    reply.code(201);
    return connectionResponse(created);
  });

  route('PATCH', '/connections/:id', 'update:connections', ({ params, body }) => {
    const input = parseBody(updateSchema, body);
    return store.mutate((state) => {
      const connection = findConnection(state, params.id ?? '');
      if (!connection) throw missing();
      if (input.enabled_clients) checkClientsExist(state, input.enabled_clients);
      for (const [key, value] of Object.entries(input))
        if (value !== undefined) connection[key] = value;
      return connectionResponse(connection);
    });
  });

  route('DELETE', '/connections/:id', 'delete:connections', ({ params, reply }) => {
    // Deleting a connection that is already gone answers 204 (recorded: a second DELETE of the same id).
    if (!findConnection(store.snapshot, params.id ?? '')) {
      reply.code(204);
      return undefined;
    }
    store.mutate((state) => {
      const connection = findConnection(state, params.id ?? '');
      if (!connection) throw missing();
      state.connections = state.connections.filter((candidate) => candidate !== connection);
      const removedUsers = new Set(
        state.users
          .filter((user) => user.connection === connection.name)
          .map((user) => user.user_id),
      );
      state.users = state.users.filter((user) => !removedUsers.has(user.user_id));
      state.application_passwords = state.application_passwords.filter(
        (asp) => !removedUsers.has(asp.user_id),
      );
    });
    // Auth0 deletes connections asynchronously: 202 with deleted_at.
    reply.code(202);
    return { deleted_at: new Date().toISOString() };
  });

  route('GET', '/connections/:id/clients', 'read:connections', ({ params, query }) => {
    const connection = findConnection(store.snapshot, params.id ?? '');
    if (!connection) throw missing();
    const clients = connection.enabled_clients.map((clientId) => ({ client_id: clientId }));
    return paginate(clients, { take: '50', ...query }, 'clients', { checkpoint: true });
  });

  route('PATCH', '/connections/:id/clients', 'update:connections', ({ params, body, reply }) => {
    const changes = parseBody(enabledClientsSchema, body);
    store.mutate((state) => {
      const connection = findConnection(state, params.id ?? '');
      if (!connection) throw missing();
      checkClientsExist(
        state,
        changes.filter((change) => change.status).map((change) => change.client_id),
      );
      const enabled = new Set(connection.enabled_clients);
      for (const change of changes) {
        if (change.status) enabled.add(change.client_id);
        else enabled.delete(change.client_id);
      }
      connection.enabled_clients = [...enabled];
    });
    reply.code(204);
  });
}
