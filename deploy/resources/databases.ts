// Database connections (a0deploy's `databases` section), matched by name; enabled clients by NAME.
// Ownership marker: metadata.managed_by. Options are compared key by key and sent merged, because a PATCH of
// `options` replaces the whole object on Auth0.
import type { ManagementClient } from 'auth0';
import { collectPages, pick } from './pages.js';
import {
  managedByKey,
  managedByValue,
  ref,
  type Body,
  type LiveItem,
  type ResourceModule,
} from './types.js';

type SdkCreate = Parameters<ManagementClient['connections']['create']>[0];
type SdkUpdate = Parameters<ManagementClient['connections']['update']>[1];

export const databases: ResourceModule = {
  type: 'databases',
  dependsOn: ['clients'],
  isManaged: (state) => state.sections.databases !== undefined,
  setFields: ['enabled_clients'],

  desired(state) {
    return (state.sections.databases ?? []).map((db) => ({
      key: db.name,
      body: {
        strategy: db.strategy,
        ...(db.display_name ? { display_name: db.display_name } : {}),
        enabled_clients: db.enabled_clients.map((name) => ref('clients', name)),
        ...(db.options ? { options: db.options } : {}),
        metadata: { [managedByKey]: managedByValue },
      },
    }));
  },

  async read({ mgmt, desired }) {
    const list = await collectPages(mgmt.connections.list({ strategy: 'auth0', take: 100 }));
    const desiredOptions = new Map(
      (desired.sections.databases ?? []).map((db) => [db.name, Object.keys(db.options ?? {})]),
    );
    return list
      .filter((connection) => connection.id && connection.name)
      .map((connection): LiveItem => {
        const raw = connection as Body;
        const metadata = (raw.metadata ?? {}) as Body;
        const options = (raw.options ?? {}) as Body;
        return {
          key: connection.name as string,
          id: connection.id as string,
          body: {
            strategy: raw.strategy,
            ...(raw.display_name !== undefined ? { display_name: raw.display_name } : {}),
            enabled_clients: (raw.enabled_clients as string[] | undefined) ?? [],
            options: pick(options, desiredOptions.get(connection.name as string) ?? []),
            metadata,
          },
          owned: metadata[managedByKey] === managedByValue,
          raw,
        };
      });
  },

  async create({ mgmt }, item) {
    const created = await mgmt.connections.create({
      name: item.key,
      ...item.body,
    } as unknown as SdkCreate);
    return created.id as string;
  },

  async update({ mgmt }, live, changed) {
    const body: Body = { ...changed };
    delete body.strategy;
    if (changed.options)
      body.options = { ...((live.raw as Body).options as Body), ...(changed.options as Body) };
    if (changed.metadata)
      body.metadata = { ...((live.raw as Body).metadata as Body), ...(changed.metadata as Body) };
    await mgmt.connections.update(live.id, body as SdkUpdate);
  },

  async delete({ mgmt }, live) {
    await mgmt.connections.delete(live.id);
  },
};
