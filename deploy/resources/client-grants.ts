// Client grants, keyed "<client name> -> <audience>". A grant is ours when its client is ours; grants of the deploy
// client are never touched. Only `scope` can change in place (client_id/audience are immutable).
import type { ManagementClient } from 'auth0';
import { collectPages } from './pages.js';
import { ref, type LiveItem, type ResourceModule } from './types.js';

type SdkCreate = Parameters<ManagementClient['clientGrants']['create']>[0];

export function grantKey(clientName: string, audience: string, subjectType = 'client'): string {
  return subjectType === 'client'
    ? `${clientName} -> ${audience}`
    : `${clientName} -> ${audience} (${subjectType})`;
}

export const clientGrants: ResourceModule = {
  type: 'clientGrants',
  dependsOn: ['clients', 'resourceServers'],
  readsLiveOf: ['clients'],
  isManaged: (state) => state.sections.clientGrants !== undefined,
  setFields: ['scope'],

  desired(state) {
    return (state.sections.clientGrants ?? []).map((grant) => ({
      key: grantKey(grant.client_id, grant.audience, grant.subject_type),
      body: {
        client_id: ref('clients', grant.client_id),
        audience: grant.audience,
        scope: grant.scope,
        ...(grant.subject_type ? { subject_type: grant.subject_type } : {}),
      },
    }));
  },

  async read({ mgmt, registry, deployClientId, live }) {
    const list = await collectPages(mgmt.clientGrants.list({ take: 100 }));
    const owned = new Set(
      (live.get('clients') ?? []).filter((client) => client.owned).map((client) => client.id),
    );
    return list
      .filter((grant) => grant.id && grant.client_id && grant.audience && !grant.is_system)
      .map((grant): LiveItem => {
        const clientName =
          registry.keyOf('clients', grant.client_id as string) ?? `client ${grant.client_id}`;
        const subjectType = grant.subject_type ?? 'client';
        return {
          key: grantKey(clientName, grant.audience as string, subjectType),
          id: grant.id as string,
          body: {
            client_id: grant.client_id,
            audience: grant.audience,
            scope: grant.scope ?? [],
            ...(grant.subject_type ? { subject_type: grant.subject_type } : {}),
          },
          owned: owned.has(grant.client_id as string),
          protected: grant.client_id === deployClientId,
        };
      });
  },

  async create({ mgmt }, item) {
    const created = await mgmt.clientGrants.create(item.body as unknown as SdkCreate);
    return created.id as string;
  },

  async update({ mgmt }, live, changed) {
    if (
      changed.client_id !== undefined ||
      changed.audience !== undefined ||
      changed.subject_type !== undefined
    ) {
      throw new Error(
        `client grant ${live.key}: client, audience and subject type cannot change in place`,
      );
    }
    await mgmt.clientGrants.update(live.id, { scope: changed.scope as string[] });
  },

  async delete({ mgmt }, live) {
    await mgmt.clientGrants.delete(live.id);
  },
};
