// Demo users for local/dev (env file `deploy.users`), keyed by email. The password is sent on create only: Auth0
// never returns it, so it cannot be compared — changing it later is a password reset, not a deploy.
import type { Management } from 'auth0';
import type { DemoUserConfig } from '../config/schema.js';
import { createdId } from './pages.js';
import { managedByKey, managedByValue, type ResourceModule } from './types.js';

type UserState = Omit<DemoUserConfig, 'email' | 'password'> & {
  app_metadata: Management.UserAppMetadataSchema;
};
/** A user found by the email of a configured user, on that user's connection if there are several. */
interface FoundUser {
  email: string;
  user: Management.UserResponseSchema;
}

export const users: ResourceModule<UserState, UserState, FoundUser> = {
  type: 'users',
  dependsOn: ['databases'],
  isManaged: (state) => state.deploy.users.length > 0,

  desired(state) {
    return state.deploy.users.map(({ email, password, ...user }) => ({
      key: email,
      body: {
        connection: user.connection,
        email_verified: user.email_verified,
        ...(user.name ? { name: user.name } : {}),
        app_metadata: { [managedByKey]: managedByValue },
      },
      createOnly: { password },
    }));
  },

  async list({ mgmt, desired }) {
    const found: FoundUser[] = [];
    for (const { email, connection } of desired.deploy.users) {
      const candidates = await mgmt.users.listUsersByEmail({ email });
      const user =
        candidates.find((candidate) =>
          candidate.identities?.some((identity) => identity.connection === connection),
        ) ?? candidates[0];
      if (user) found.push({ email, user });
    }
    return found;
  },

  flatten({ email, user }, { desired }) {
    const configured = desired.deploy.users.find((candidate) => candidate.email === email);
    if (!user.user_id || !configured) return undefined;
    const appMetadata = user.app_metadata ?? {};
    return {
      key: email,
      id: user.user_id,
      body: {
        connection: user.identities?.[0]?.connection ?? configured.connection,
        email_verified: user.email_verified ?? false,
        ...(configured.name ? { name: user.name } : {}),
        app_metadata: appMetadata,
      },
      owned: appMetadata[managedByKey] === managedByValue,
    };
  },

  async create({ mgmt }, item) {
    const created = await mgmt.users.create({
      email: item.key,
      ...item.body,
      ...item.createOnly,
    });
    return createdId(created.user_id, `user ${item.key}`);
  },

  async update({ mgmt }, live, changed) {
    const { connection, ...rest } = changed;
    if (connection !== undefined)
      throw new Error(`user ${live.key}: the connection of an existing user cannot change`);
    await mgmt.users.update(live.id, rest);
  },
};
