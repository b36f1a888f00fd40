// Demo users for local/dev (env file `deploy.users`), keyed by email. The password is sent on create only: Auth0
// never returns it, so it cannot be compared — changing it later is a password reset, not a deploy.
import type { ManagementClient } from 'auth0';
import { managedByKey, managedByValue, type LiveItem, type ResourceModule } from './types.js';

type SdkCreate = Parameters<ManagementClient['users']['create']>[0];
type SdkUpdate = Parameters<ManagementClient['users']['update']>[1];

export const users: ResourceModule = {
  type: 'users',
  dependsOn: ['databases'],
  isManaged: (state) => state.deploy.users.length > 0,
  sensitiveFields: ['password'],

  desired(state) {
    return state.deploy.users.map((user) => ({
      key: user.email,
      body: {
        connection: user.connection,
        email_verified: user.email_verified,
        ...(user.name ? { name: user.name } : {}),
        app_metadata: { [managedByKey]: managedByValue },
      },
      createOnly: { password: user.password },
    }));
  },

  async read({ mgmt, desired }) {
    const items: LiveItem[] = [];
    for (const user of desired.deploy.users) {
      const found = await mgmt.users.listUsersByEmail({ email: user.email });
      const match =
        found.find((candidate) =>
          candidate.identities?.some((identity) => identity.connection === user.connection),
        ) ?? found[0];
      if (!match?.user_id) continue;
      const appMetadata = (match.app_metadata ?? {}) as Record<string, unknown>;
      items.push({
        key: user.email,
        id: match.user_id,
        body: {
          connection: match.identities?.[0]?.connection ?? user.connection,
          email_verified: match.email_verified,
          ...(user.name ? { name: match.name } : {}),
          app_metadata: appMetadata,
        },
        owned: appMetadata[managedByKey] === managedByValue,
      });
    }
    return items;
  },

  async create({ mgmt }, item) {
    const created = await mgmt.users.create({
      email: item.key,
      ...item.body,
      ...item.createOnly,
    } as SdkCreate);
    return created.user_id as string;
  },

  async update({ mgmt }, live, changed) {
    if (changed.connection !== undefined)
      throw new Error(`user ${live.key}: the connection of an existing user cannot change`);
    await mgmt.users.update(live.id, changed as SdkUpdate);
  },
};
