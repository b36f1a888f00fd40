// Applications, matched by name. What we create carries client_metadata.managed_by so a later deploy knows it may
// delete it; the deploy client itself is never updated or deleted.
import type { ManagementClient } from 'auth0';
import { collectPages, pick } from './pages.js';
import {
  managedByKey,
  managedByValue,
  type Body,
  type LiveItem,
  type ResourceModule,
} from './types.js';

const fields = [
  'description',
  'app_type',
  'callbacks',
  'allowed_logout_urls',
  'web_origins',
  'allowed_origins',
  'grant_types',
  'token_endpoint_auth_method',
  'oidc_conformant',
  'is_first_party',
  'sso_disabled',
  'cross_origin_authentication',
  'initiate_login_uri',
  'logo_uri',
  'jwt_configuration',
  'refresh_token',
  'client_metadata',
] as const;

type SdkCreate = Parameters<ManagementClient['clients']['create']>[0];
type SdkUpdate = Parameters<ManagementClient['clients']['update']>[1];

export const clients: ResourceModule = {
  type: 'clients',
  dependsOn: [],
  isManaged: (state) => state.sections.clients !== undefined,
  setFields: ['callbacks', 'allowed_logout_urls', 'web_origins', 'allowed_origins', 'grant_types'],

  desired(state) {
    return (state.sections.clients ?? []).map((client) => ({
      key: client.name,
      body: {
        ...pick(client, fields),
        client_metadata: { ...client.client_metadata, [managedByKey]: managedByValue },
      },
    }));
  },

  async read({ mgmt, deployClientId }) {
    const list = await collectPages(
      mgmt.clients.list({ per_page: 100, include_totals: true, is_global: false }),
    );
    return list
      .filter((client) => client.name && client.client_id && !client.global)
      .map((client): LiveItem => {
        const body = pick(client, fields);
        // Compare only what we manage; Auth0 adds defaults (e.g. jwt_configuration.secret_encoded) we never set.
        const metadata = (client.client_metadata ?? {}) as Body;
        return {
          key: client.name as string,
          id: client.client_id as string,
          body,
          owned: metadata[managedByKey] === managedByValue,
          protected: client.client_id === deployClientId,
        };
      });
  },

  async create({ mgmt }, item) {
    const created = await mgmt.clients.create({ name: item.key, ...item.body } as SdkCreate);
    return created.client_id as string;
  },

  async update({ mgmt }, live, changed) {
    await mgmt.clients.update(live.id, changed as SdkUpdate);
  },

  async delete({ mgmt }, live) {
    await mgmt.clients.delete(live.id);
  },
};
