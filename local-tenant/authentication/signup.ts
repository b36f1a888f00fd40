// POST /dbconnections/signup (https://auth0.com/docs/api/authentication#signup): creates a user in a database
// connection enabled for the client, after the pre-user-registration Actions allowed it (with the metadata they
// set); then runs the post-user-registration Actions without waiting for them, as Auth0 does (non-blocking).
// The error bodies follow Auth0's signup errors ({name, code, description, statusCode}); the exact body for an
// Action's deny (`extensibility_error` with the user message) and validation error (its code and message) is
// UNCONFIRMED against a real tenant.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isRecord, stringOrUndefined, stringRecord } from '../../lib/guards.js';
import type { TenantContext } from '../context.js';
import { newIds } from '../ids.js';
import { hashSecret } from '../state/passwords.js';
import type { ConnectionRecord, JsonObject, UserRecord } from '../state/types.js';
import { findUserByLogin, passwordMeetsPolicy } from '../state/users.js';
import { runTriggerActions } from '../actions-runtime/trigger-pipeline.js';
import { boundActions, eventRequest } from './login-pipeline.js';
import { databaseConnectionsFor } from './login-users.js';
import type { AuthRuntime } from './runtime.js';

const optionalText = z.string().min(1).max(300).optional();
const signupSchema = z.object({
  client_id: z.string().min(1),
  connection: z.string().min(1),
  email: z.string().min(1).max(300),
  password: z.string().min(1).max(300),
  username: optionalText,
  given_name: optionalText,
  family_name: optionalText,
  name: optionalText,
  nickname: optionalText,
  picture: optionalText,
  user_metadata: z.record(z.string(), z.string()).optional(),
});
type SignupInput = z.infer<typeof signupSchema>;

function signupError(
  reply: FastifyReply,
  name: string,
  code: string,
  description: string,
): FastifyReply {
  return reply.code(400).send({ name, code, description, statusCode: 400 });
}

export function signupRoutes(
  app: FastifyInstance,
  tenant: TenantContext,
  runtime: AuthRuntime,
): void {
  app.post('/dbconnections/signup', async (request: FastifyRequest, reply: FastifyReply) => {
    const parsed = signupSchema.safeParse(request.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return signupError(
        reply,
        'BadRequestError',
        'invalid_body',
        `${issue?.path.join('.') || 'body'}: ${issue?.message}`,
      );
    }
    const input = parsed.data;
    const connection = databaseConnectionsFor(tenant, input.client_id).find(
      (candidate) => candidate.name === input.connection,
    );
    if (!connection)
      return signupError(reply, 'BadRequestError', 'invalid_signup', 'Invalid sign up');
    if (!passwordMeetsPolicy(input.password, passwordPolicyOf(connection)))
      return signupError(
        reply,
        'PasswordStrengthError',
        'invalid_password',
        'Password is too weak',
      );
    const email = input.email.toLowerCase();
    if (findUserByLogin(tenant.store.snapshot, connection.name, email))
      return signupError(reply, 'BadRequestError', 'invalid_signup', 'Invalid sign up');

    const client = tenant.store.snapshot.clients.find((c) => c.client_id === input.client_id);
    const event = {
      user: {
        email,
        ...profileOf(input),
        user_metadata: { ...input.user_metadata },
        app_metadata: {},
      },
      connection: connectionOf(connection),
      client: {
        client_id: input.client_id,
        name: client?.name ?? '',
        metadata: stringRecord(client?.client_metadata),
      },
      request: eventRequest(request),
      tenant: { id: 'local' },
      transaction: { acr_values: [], locale: 'en', ui_locales: [] },
    };
    const outcome = await runTriggerActions({
      trigger: 'pre-user-registration',
      actions: boundActions(tenant, 'pre-user-registration'),
      event,
      cache: runtime.actionCache,
      timeoutMs: runtime.actionTimeoutMs,
      executor: runtime.executor,
    });
    if (outcome.status === 'denied')
      return signupError(reply, 'ValidationError', 'extensibility_error', outcome.userMessage);
    if (outcome.status === 'invalid')
      return signupError(reply, 'ValidationError', outcome.code, outcome.message);
    if (outcome.status === 'failed')
      return signupError(reply, 'ValidationError', 'extensibility_error', outcome.reason);

    const user = createUser(tenant, connection, input, email, outcome.effects);
    if (!user) return signupError(reply, 'BadRequestError', 'invalid_signup', 'Invalid sign up');
    void runPostUserRegistration(tenant, runtime, user, connection, request);
    return {
      _id: user.user_id.replace(/^auth0\|/, ''),
      email: user.email,
      email_verified: user.email_verified,
      ...(user.username ? { username: user.username } : {}),
      ...(Object.keys(user.user_metadata).length > 0 ? { user_metadata: user.user_metadata } : {}),
    };
  });
}

function passwordPolicyOf(connection: ConnectionRecord): string | undefined {
  const options = connection['options'];
  return isRecord(options) ? stringOrUndefined(options['passwordPolicy']) : undefined;
}

function connectionOf(connection: ConnectionRecord) {
  return {
    id: connection.id,
    name: connection.name,
    strategy: connection.strategy,
    metadata: stringRecord(connection['metadata']),
  };
}

function profileOf(input: SignupInput): Record<string, string> {
  const profile: Record<string, string> = {};
  for (const key of [
    'username',
    'given_name',
    'family_name',
    'name',
    'nickname',
    'picture',
  ] as const)
    if (input[key] !== undefined) profile[key] = input[key];
  return profile;
}

/** Undefined when someone signed up with the same email meanwhile (the Actions ran outside the state lock). */
function createUser(
  tenant: TenantContext,
  connection: ConnectionRecord,
  input: SignupInput,
  email: string,
  effects: { userMetadata: JsonObject; appMetadata: JsonObject },
): UserRecord | undefined {
  const now = new Date().toISOString();
  return tenant.store.mutate((draft) => {
    if (findUserByLogin(draft, connection.name, email)) return undefined;
    const { username, ...profile } = profileOf(input);
    const record: UserRecord = {
      user_id: newIds.user(),
      connection: connection.name,
      email,
      email_verified: false,
      ...(username ? { username } : {}),
      password_hash: hashSecret(input.password),
      profile,
      user_metadata: { ...input.user_metadata, ...effects.userMetadata },
      app_metadata: { ...effects.appMetadata },
      blocked: false,
      mfa_enrollments: [],
      created_at: now,
      updated_at: now,
      logins_count: 0,
    };
    draft.users.push(record);
    return record;
  });
}

/** Non-blocking on Auth0: its outcome never changes the signup; a failure only reaches the log. */
async function runPostUserRegistration(
  tenant: TenantContext,
  runtime: AuthRuntime,
  user: UserRecord,
  connection: ConnectionRecord,
  request: FastifyRequest,
): Promise<void> {
  const actions = boundActions(tenant, 'post-user-registration');
  if (actions.length === 0) return;
  const { password_hash: _hash, mfa_enrollments: _mfa, profile, ...publicUser } = user;
  const outcome = await runTriggerActions({
    trigger: 'post-user-registration',
    actions,
    event: {
      user: {
        ...profile,
        ...publicUser,
        identities: [
          {
            provider: 'auth0',
            user_id: user.user_id.replace(/^auth0\|/, ''),
            connection: connection.name,
            isSocial: false,
          },
        ],
      },
      connection: connectionOf(connection),
      request: eventRequest(request),
      tenant: { id: 'local' },
    },
    cache: runtime.actionCache,
    timeoutMs: runtime.actionTimeoutMs,
    executor: runtime.executor,
  });
  if (outcome.status === 'failed')
    request.log.warn({ reason: outcome.reason }, 'post-user-registration Action failed');
}
