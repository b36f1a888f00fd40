// /api/v2/users in database connections: passwords hashed with scrypt, "good" password policy, 409 on a
// duplicate, MFA enrollment state (enrollments / authentication-methods).
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { isRecord } from '../../lib/guards.js';
import { ManagementApiError, badRequest, conflict, notFound } from '../errors.js';
import { newIds } from '../ids.js';
import type { TenantContext } from '../context.js';
import type { ConnectionRecord, JsonObject, TenantState, UserRecord } from '../state/types.js';
import { hashSecret } from '../state/passwords.js';
import { passwordMeetsPolicy } from '../state/users.js';
import { paginate, projectFields, queryString } from './pagination.js';
import { parseBody } from './validation.js';
import { withoutUndefined, type ManagementRoute } from './routes.js';

const metadata = z.record(z.string(), z.json());
const profileFields = {
  given_name: z.string().max(150).optional(),
  family_name: z.string().max(150).optional(),
  name: z.string().max(300).optional(),
  nickname: z.string().max(300).optional(),
  picture: z.string().optional(),
  phone_number: z.string().optional(),
  phone_verified: z.boolean().optional(),
};
const createSchema = z.strictObject({
  connection: z.string().min(1),
  email: z.email().optional(),
  email_verified: z.boolean().optional(),
  verify_email: z.boolean().optional(),
  username: z.string().min(1).max(128).optional(),
  password: z.string().min(1).optional(),
  user_id: z.string().optional(),
  blocked: z.boolean().optional(),
  user_metadata: metadata.optional(),
  app_metadata: metadata.optional(),
  ...profileFields,
});
const updateSchema = z.strictObject({
  email: z.email().optional(),
  email_verified: z.boolean().optional(),
  verify_email: z.boolean().optional(),
  username: z.string().min(1).max(128).optional(),
  password: z.string().min(1).optional(),
  blocked: z.boolean().optional(),
  connection: z.string().optional(),
  user_metadata: metadata.nullable().optional(),
  app_metadata: metadata.nullable().optional(),
  ...profileFields,
});

const missing = () => notFound('The user does not exist.', 'inexistent_user');
const weakPassword = () =>
  new ManagementApiError(400, 'PasswordStrengthError: Password is too weak', 'invalid_body');

export function findUser(state: Readonly<TenantState>, userId: string): UserRecord | undefined {
  return state.users.find((user) => user.user_id === userId);
}

function gravatar(email: string | undefined): string {
  const hash = createHash('md5')
    .update((email ?? '').trim().toLowerCase())
    .digest('hex');
  return `https://s.gravatar.com/avatar/${hash}?s=480&r=pg&d=https%3A%2F%2Fcdn.auth0.com%2Favatars%2Fdefault.png`;
}

/** The connection's password policy (options.passwordPolicy), if it names one. */
function passwordPolicyOf(connection: ConnectionRecord): string | undefined {
  const options = connection.options;
  const policy = isRecord(options) ? options.passwordPolicy : undefined;
  return typeof policy === 'string' ? policy : undefined;
}

/** The field a `q=<field>:"<value>"` search compares. */
function searchable(user: UserRecord, field: string | undefined): string | undefined {
  if (field === 'email') return user.email;
  if (field === 'username') return user.username;
  return field === 'user_id' ? user.user_id : undefined;
}

export function userResponse(user: UserRecord): JsonObject {
  const confirmed = user.mfa_enrollments.some((enrollment) => enrollment.status === 'confirmed');
  const localId = user.user_id.replace(/^auth0\|/, '');
  return withoutUndefined({
    user_id: user.user_id,
    email: user.email,
    email_verified: user.email_verified,
    username: user.username,
    name: user.email ?? user.username,
    nickname: (user.username ?? user.email?.split('@')[0]) || undefined,
    picture: gravatar(user.email),
    ...user.profile,
    identities: [
      { connection: user.connection, user_id: localId, provider: 'auth0', isSocial: false },
    ],
    user_metadata: Object.keys(user.user_metadata).length > 0 ? user.user_metadata : undefined,
    app_metadata: Object.keys(user.app_metadata).length > 0 ? user.app_metadata : undefined,
    // Auth0 always reports blocked, and logins only once there were some (recorded TestUserManager_*).
    blocked: user.blocked,
    ...(confirmed ? { multifactor: ['guardian'] } : {}),
    created_at: user.created_at,
    updated_at: user.updated_at,
    last_login: user.last_login,
    last_password_reset: user.last_password_reset,
    logins_count: user.logins_count > 0 ? user.logins_count : undefined,
  });
}

function databaseConnection(state: Readonly<TenantState>, name: string) {
  const connection = state.connections.find((candidate) => candidate.name === name);
  if (!connection) throw badRequest('The connection does not exist.', 'inexistent_connection');
  if (connection.strategy !== 'auth0') {
    throw badRequest(
      `Users can only be created in database connections; ${name} uses the ${connection.strategy} strategy.`,
      'operation_not_supported',
    );
  }
  return connection;
}

function enrollmentView(user: UserRecord) {
  return user.mfa_enrollments.map((enrollment) =>
    withoutUndefined({
      id: enrollment.id,
      status: enrollment.status,
      type: enrollment.type,
      name: enrollment.name,
      enrolled_at: enrollment.confirmed_at ?? enrollment.created_at,
    }),
  );
}

export function registerUserRoutes(route: ManagementRoute, tenant: TenantContext): void {
  const { store } = tenant;

  route('GET', '/users', 'read:users', ({ query }) => {
    const q = queryString(query, 'q');
    const connection = queryString(query, 'connection');
    // Minimal Lucene subset: email:"x" or email:x, user_id:"x".
    const match = q ? /^(email|user_id|username):"?([^"]+)"?$/.exec(q.trim()) : null;
    if (q && !match)
      throw badRequest(
        `Query validation error: unsupported q '${q}' (local tenant supports email:, user_id:, username:).`,
        'invalid_query_string',
      );
    const users = store.snapshot.users
      .filter((user) => !connection || user.connection === connection)
      .filter((user) => !match || searchable(user, match[1]) === match[2])
      .map((user) => projectFields(userResponse(user), query));
    // The users search also reports how many it returned (`length`, recorded TestUserManager_List).
    return paginate(users, query, 'users', { withLength: true });
  });

  route('GET', '/users-by-email', 'read:users', ({ query }) => {
    const email = queryString(query, 'email')?.toLowerCase();
    if (!email)
      throw badRequest(
        "Query validation error: 'Missing required property: email'.",
        'invalid_query_string',
      );
    return store.snapshot.users.filter((user) => user.email === email).map(userResponse);
  });

  route('GET', '/users/:id', 'read:users', ({ params, query }) => {
    const user = findUser(store.snapshot, params.id ?? '');
    if (!user) throw missing();
    return projectFields(userResponse(user), query);
  });

  route('POST', '/users', 'create:users', ({ body, reply }) => {
    const input = parseBody(createSchema, body);
    const state = store.snapshot;
    const connection = databaseConnection(state, input.connection);
    if (!input.email)
      throw badRequest("Payload validation error: 'Missing required property: email'.");
    if (!input.password)
      throw badRequest("Payload validation error: 'Missing required property: password'.");
    if (!passwordMeetsPolicy(input.password, passwordPolicyOf(connection))) throw weakPassword();
    const passwordHash = hashSecret(input.password);
    const email = input.email.toLowerCase();
    const now = new Date().toISOString();
    const user = store.mutate((draft) => {
      const taken = draft.users.some(
        (candidate) =>
          candidate.connection === input.connection &&
          (candidate.email === email || (input.username && candidate.username === input.username)),
      );
      if (taken) throw conflict('The user already exists.', 'auth0_idp_error');
      const userId = input.user_id ? `auth0|${input.user_id}` : newIds.user();
      if (draft.users.some((candidate) => candidate.user_id === userId))
        throw conflict('The user already exists.', 'auth0_idp_error');
      const record: UserRecord = {
        user_id: userId,
        connection: input.connection,
        email,
        email_verified: input.email_verified ?? false,
        ...(input.username ? { username: input.username } : {}),
        password_hash: passwordHash,
        profile: withoutUndefined({
          given_name: input.given_name,
          family_name: input.family_name,
          name: input.name,
          nickname: input.nickname,
          picture: input.picture,
          phone_number: input.phone_number,
          phone_verified: input.phone_verified,
        }),
        user_metadata: input.user_metadata ?? {},
        app_metadata: input.app_metadata ?? {},
        blocked: input.blocked ?? false,
        mfa_enrollments: [],
        created_at: now,
        updated_at: now,
        logins_count: 0,
      };
      draft.users.push(record);
      return record;
    });
    reply.code(201);
    return userResponse(user);
  });

  route('PATCH', '/users/:id', 'update:users', ({ params, body }) => {
    const input = parseBody(updateSchema, body);
    const existing = findUser(store.snapshot, params.id ?? '');
    if (!existing) throw missing();
    let passwordHash: string | undefined;
    if (input.password !== undefined) {
      const connection = databaseConnection(store.snapshot, existing.connection);
      if (!passwordMeetsPolicy(input.password, passwordPolicyOf(connection))) throw weakPassword();
      passwordHash = hashSecret(input.password);
    }
    return store.mutate((state) => {
      const user = findUser(state, params.id ?? '');
      if (!user) throw missing();
      const {
        password: _password,
        verify_email: _verify,
        connection: _connection,
        user_metadata,
        app_metadata,
        email,
        email_verified,
        username,
        blocked,
        ...profile
      } = input;
      if (passwordHash) {
        user.password_hash = passwordHash;
        user.last_password_reset = new Date().toISOString();
      }
      if (email !== undefined) user.email = email.toLowerCase();
      if (email_verified !== undefined) user.email_verified = email_verified;
      if (username !== undefined) user.username = username;
      if (blocked !== undefined) user.blocked = blocked;
      // Metadata merges one level deep; null removes a key (Auth0 semantics).
      const merge = (target: JsonObject, patch: JsonObject | null | undefined): JsonObject => {
        if (patch === null) return {};
        if (!patch) return target;
        const merged = { ...target };
        for (const [key, value] of Object.entries(patch)) {
          if (value === null) delete merged[key];
          else merged[key] = value;
        }
        return merged;
      };
      user.user_metadata = merge(user.user_metadata, user_metadata);
      user.app_metadata = merge(user.app_metadata, app_metadata);
      user.profile = { ...user.profile, ...withoutUndefined(profile) };
      user.updated_at = new Date().toISOString();
      return userResponse(user);
    });
  });

  // 204 also when the user is already gone (recorded: TestUserManager_Delete).
  route('DELETE', '/users/:id', 'delete:users', ({ params, reply }) => {
    store.mutate((state) => {
      state.users = state.users.filter((user) => user.user_id !== params.id);
      state.application_passwords = state.application_passwords.filter(
        (asp) => asp.user_id !== params.id,
      );
    });
    reply.code(204);
  });

  route('GET', '/users/:id/enrollments', 'read:users', ({ params }) => {
    const user = findUser(store.snapshot, params.id ?? '');
    if (!user) throw missing();
    return enrollmentView(user);
  });

  route(
    'GET',
    '/users/:id/authentication-methods',
    'read:authentication_methods',
    ({ params, query }) => {
      const user = findUser(store.snapshot, params.id ?? '');
      if (!user) throw missing();
      const methods = user.mfa_enrollments.map((enrollment) =>
        withoutUndefined({
          id: enrollment.id,
          type: enrollment.type,
          confirmed: enrollment.status === 'confirmed',
          name: enrollment.name,
          created_at: enrollment.created_at,
        }),
      );
      return paginate(methods, query, 'authenticators');
    },
  );

  route(
    'DELETE',
    '/users/:id/authentication-methods/:methodId',
    'delete:authentication_methods',
    ({ params, reply }) => {
      store.mutate((state) => {
        const user = findUser(state, params.id ?? '');
        if (!user) throw missing();
        if (!user.mfa_enrollments.some((enrollment) => enrollment.id === params.methodId))
          throw notFound(
            'The authentication method does not exist.',
            'inexistent_authentication_method',
          );
        user.mfa_enrollments = user.mfa_enrollments.filter(
          (enrollment) => enrollment.id !== params.methodId,
        );
      });
      reply.code(204);
    },
  );

  // Removes every MFA enrollment (Auth0: "reset MFA").
  route(
    'DELETE',
    '/users/:id/authentication-methods',
    'delete:authentication_methods',
    ({ params, reply }) => {
      store.mutate((state) => {
        const user = findUser(state, params.id ?? '');
        if (!user) throw missing();
        user.mfa_enrollments = [];
      });
      reply.code(204);
    },
  );
}
