// Database connections (a0deploy's `databases` section), matched by name; enabled clients by NAME.
// Ownership marker: metadata.managed_by. Options are compared key by key and sent merged, because a PATCH of
// `options` replaces the whole object on Auth0.
import type { Management } from 'auth0';
import type { DatabaseConfig } from '../config/schema.js';
import { collectPages, createdId } from './pages.js';
import { managedByKey, managedByValue, type ResourceModule } from './types.js';

/** The config's shape with client IDs instead of names, and the ownership marker. */
type DatabaseState = Omit<DatabaseConfig, 'name'> & { metadata: Management.ConnectionsMetadata };
type LiveDatabase = Pick<Management.ConnectionForList, 'strategy' | 'display_name' | 'metadata'> & {
  enabled_clients: string[];
  options: Record<string, unknown>;
};

export const databases: ResourceModule<DatabaseState, LiveDatabase, Management.ConnectionForList> =
  {
    type: 'databases',
    dependsOn: ['clients'],
    setFields: ['enabled_clients'],
    isManaged: (state) => state.sections.databases !== undefined,

    desired(state, ids) {
      return (state.sections.databases ?? []).map((db) => ({
        key: db.name,
        body: {
          strategy: db.strategy,
          ...(db.display_name ? { display_name: db.display_name } : {}),
          enabled_clients: db.enabled_clients.map((name) => ids.of('clients', name)),
          ...(db.options ? { options: db.options } : {}),
          metadata: { [managedByKey]: managedByValue },
        },
      }));
    },

    list({ mgmt }) {
      return collectPages(mgmt.connections.list({ strategy: 'auth0', take: 100 }));
    },

    flatten(connection, { desired }) {
      const { id, name } = connection;
      if (!id || !name) return undefined;
      // Only the options the config sets are compared (Auth0 fills in many defaults).
      const configured = desired.sections.databases?.find((db) => db.name === name)?.options ?? {};
      const options = connection.options ?? {};
      return {
        key: name,
        id,
        body: {
          strategy: connection.strategy,
          ...(connection.display_name !== undefined
            ? { display_name: connection.display_name }
            : {}),
          enabled_clients: enabledClients(connection),
          options: Object.fromEntries(
            Object.keys(configured).flatMap((option) =>
              options[option] === undefined ? [] : [[option, options[option]]],
            ),
          ),
          metadata: connection.metadata ?? {},
        },
        owned: connection.metadata?.[managedByKey] === managedByValue,
        raw: connection,
      };
    },

    async create({ mgmt }, item) {
      const created = await mgmt.connections.create({ name: item.key, ...item.body });
      return createdId(created.id, `database connection "${item.key}"`);
    },

    async update({ mgmt }, live, changed) {
      const { strategy: _immutable, options, metadata, ...rest } = changed;
      await mgmt.connections.update(live.id, {
        ...rest,
        ...(options ? { options: { ...live.raw?.options, ...options } } : {}),
        ...(metadata ? { metadata: { ...live.raw?.metadata, ...metadata } } : {}),
      });
    },

    async delete({ mgmt }, live) {
      await mgmt.connections.delete(live.id);
    },
  };

/**
 * `enabled_clients` of a connection as listed. The SDK's list type no longer declares it (Auth0 moved it to
 * GET /connections/{id}/clients); the list answer still carries it (UNCONFIRMED for every tenant: read as absent).
 */
function enabledClients(connection: Management.ConnectionForList): string[] {
  const value: unknown = Reflect.get(connection, 'enabled_clients');
  return Array.isArray(value) ? value.filter((id) => typeof id === 'string') : [];
}
