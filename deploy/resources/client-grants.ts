// Client grants, keyed "<client name> -> <audience>". A grant is ours when its client is ours; a grant is never
// touched when its client is not (the deploy client, partner clients). Only `scope` can change in place (client_id/audience are immutable).
import type { Management } from 'auth0';
import type { ClientGrantConfig } from '../config/schema.js';
import { collectPages, createdId } from './pages.js';
import type { ResourceModule } from './types.js';

/** The config's shape, except that client_id holds the ID the tenant gave the client the config names. */
type GrantState = ClientGrantConfig;
type LiveGrant = Pick<
  Management.ClientGrantResponseContent,
  'client_id' | 'audience' | 'scope' | 'subject_type'
>;

export function grantKey(clientName: string, audience: string, subjectType = 'client'): string {
  return subjectType === 'client'
    ? `${clientName} -> ${audience}`
    : `${clientName} -> ${audience} (${subjectType})`;
}

export const clientGrants: ResourceModule<
  GrantState,
  LiveGrant,
  Management.ClientGrantResponseContent
> = {
  type: 'clientGrants',
  dependsOn: ['clients', 'resourceServers'],
  // A grant's key and ownership come from its client: the live clients are read first.
  readsLiveOf: ['clients'],
  setFields: ['scope'],
  isManaged: (state) => state.sections.clientGrants !== undefined,

  desired(state, ids) {
    return (state.sections.clientGrants ?? []).map((grant) => ({
      key: grantKey(grant.client_id, grant.audience, grant.subject_type),
      body: {
        client_id: ids.of('clients', grant.client_id),
        audience: grant.audience,
        scope: grant.scope,
        ...(grant.subject_type ? { subject_type: grant.subject_type } : {}),
      },
    }));
  },

  list({ mgmt }) {
    return collectPages(mgmt.clientGrants.list({ take: 100 }));
  },

  flatten(grant, { registry, deployClientId, live }) {
    const { id, client_id: clientId, audience } = grant;
    if (!id || !clientId || !audience || grant.is_system) return undefined;
    const clientName = registry.keyOf('clients', clientId) ?? `client ${clientId}`;
    const client = live.get('clients')?.find((candidate) => candidate.id === clientId);
    const protectedBecause =
      clientId === deployClientId ? 'belongs to the deploy client' : client?.protected;
    return {
      key: grantKey(clientName, audience, grant.subject_type ?? 'client'),
      id,
      body: {
        client_id: clientId,
        audience,
        scope: grant.scope ?? [],
        ...(grant.subject_type ? { subject_type: grant.subject_type } : {}),
      },
      owned: client?.owned === true,
      ...(protectedBecause ? { protected: protectedBecause } : {}),
    };
  },

  async create({ mgmt }, item) {
    const created = await mgmt.clientGrants.create(item.body);
    return createdId(created.id, `client grant ${item.key}`);
  },

  async update({ mgmt }, live, changed) {
    const { scope, ...immutable } = changed;
    if (Object.keys(immutable).length > 0)
      throw new Error(
        `client grant ${live.key}: client, audience and subject type cannot change in place`,
      );
    await mgmt.clientGrants.update(live.id, { scope });
  },

  async delete({ mgmt }, live) {
    await mgmt.clientGrants.delete(live.id);
  },
};
