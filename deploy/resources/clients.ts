// Applications, matched by name. What we create carries client_metadata.managed_by so a later deploy knows it may
// delete it; the deploy client itself is never updated or deleted.
import type { Management } from 'auth0';
import { clientSchema, type ClientConfig } from '../config/schema.js';
import { collectPages, createdId, pick } from './pages.js';
import { managedByKey, managedByValue, type ResourceModule } from './types.js';

/** Compared: every field of the config schema but the key. */
const fields = clientSchema.keyof().exclude(['name']).options;
type ClientState = Omit<ClientConfig, 'name'> & { client_metadata: Record<string, string> };
type LiveClient = Partial<Pick<Management.Client, (typeof fields)[number]>>;

export const clients: ResourceModule<ClientState, LiveClient, Management.Client> = {
  type: 'clients',
  dependsOn: [],
  setFields: ['callbacks', 'allowed_logout_urls', 'web_origins', 'allowed_origins', 'grant_types'],
  isManaged: (state) => state.sections.clients !== undefined,

  desired(state) {
    return (state.sections.clients ?? []).map(({ name, ...client }) => ({
      key: name,
      body: {
        ...client,
        client_metadata: { ...client.client_metadata, [managedByKey]: managedByValue },
      },
    }));
  },

  list({ mgmt }) {
    return collectPages(
      mgmt.clients.list({ per_page: 100, include_totals: true, is_global: false }),
    );
  },

  flatten(client, { deployClientId }) {
    if (!client.name || !client.client_id || client.global) return undefined;
    return {
      key: client.name,
      id: client.client_id,
      // Only what we manage: Auth0 adds defaults (e.g. jwt_configuration.secret_encoded) we never set.
      body: pick(client, fields),
      owned: client.client_metadata?.[managedByKey] === managedByValue,
      protected: client.client_id === deployClientId,
    };
  },

  async create({ mgmt }, item) {
    const created = await mgmt.clients.create({ name: item.key, ...item.body });
    return createdId(created.client_id, `client "${item.key}"`);
  },

  async update({ mgmt }, live, changed) {
    await mgmt.clients.update(live.id, changed);
  },

  async delete({ mgmt }, live) {
    await mgmt.clients.delete(live.id);
  },
};
