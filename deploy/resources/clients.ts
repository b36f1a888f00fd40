// Applications, matched by name. What we create carries client_metadata.managed_by so a later deploy knows it may
// delete it; the deploy client itself is never updated or deleted, and neither is a partner client that
// `npm run partner` created (client_metadata.partner = "true" without our marker): partners are an operator's.
import type { Management } from 'auth0';
import { clientSchema, type ClientConfig } from '../config/schema.js';
import { collectPages, createdId, pick } from './pages.js';
import { isPartnerMetadata } from '../../lib/banking-api-contract.js';
import { managedByKey, managedByValue, type ResourceModule } from './types.js';

/** Compared: every field of the config schema but the key. */
const fields = clientSchema.keyof().exclude(['name']).options;
type ClientState = Omit<ClientConfig, 'name'> & { client_metadata: Record<string, string> };
type LiveClient = Partial<Pick<Management.Client, (typeof fields)[number]>>;

/**
 * What a client has when Auth0 leaves a field out of its answer. Many recorded client bodies have no
 * `cross_origin_authentication` (older ones call it `cross_origin_auth`); its documented default is off
 * (https://auth0.com/docs/authenticate/login/cross-origin-authentication).
 */
function serverDefaults(client: Management.Client): LiveClient {
  const legacy: unknown = client.cross_origin_auth;
  return { cross_origin_authentication: typeof legacy === 'boolean' ? legacy : false };
}

/** A partner `npm run partner` created: marked as a partner and without our marker (tenant.yaml never declared it). */
export function isCommandPartner(client: Pick<Management.Client, 'client_metadata'>): boolean {
  return (
    isPartnerMetadata(client.client_metadata) &&
    client.client_metadata?.[managedByKey] !== managedByValue
  );
}

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
    const owned = client.client_metadata?.[managedByKey] === managedByValue;
    const protectedBecause =
      client.client_id === deployClientId
        ? 'belongs to the deploy client'
        : isCommandPartner(client)
          ? 'is a partner client (managed with npm run partner)'
          : undefined;
    return {
      key: client.name,
      id: client.client_id,
      // Only what we manage: Auth0 adds defaults (e.g. jwt_configuration.secret_encoded) we never set.
      body: { ...serverDefaults(client), ...pick(client, fields) },
      owned,
      ...(protectedBecause ? { protected: protectedBecause } : {}),
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
