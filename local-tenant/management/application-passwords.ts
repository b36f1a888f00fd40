// App Specific Passwords (docs/asp.md; docs/auth0-facts.md §7 draft):
// /api/v2/users/{id}/application-passwords. Not a live Auth0 feature (2017 draft only); the local
// tenant implements the draft so /oauth/introspect can describe ASPs. Create returns the value
// once; only its hash is stored; list never returns it.
import { z } from 'zod';
import { badRequest, notFound } from '../errors.js';
import { newIds } from '../ids.js';
import type { TenantContext } from '../context.js';
import type { ApplicationPasswordRecord } from '../state/types.js';
import { hashApplicationPassword, newApplicationPasswordValue } from '../state/users.js';
import { parseBody } from './validation.js';
import { withoutUndefined, type ManagementRoute } from './routes.js';
import { findUser } from './users.js';

const createSchema = z.strictObject({
  label: z.string().min(1).max(100),
  audience: z.string().min(1),
  scope: z.array(z.string().min(1)).min(1),
});

function aspResponse(asp: ApplicationPasswordRecord) {
  return withoutUndefined({
    id: asp.id,
    user_id: asp.user_id,
    label: asp.label,
    audience: asp.audience,
    scope: asp.scope,
    created_at: asp.created_at,
    last_accessed: asp.last_accessed,
  });
}

export function registerApplicationPasswordRoutes(
  route: ManagementRoute,
  tenant: TenantContext,
): void {
  const { store } = tenant;
  const userMissing = () => notFound('The user does not exist.', 'inexistent_user');

  route(
    'GET',
    '/users/:id/application-passwords',
    'read:user_application_passwords',
    ({ params }) => {
      if (!findUser(store.snapshot, params.id ?? '')) throw userMissing();
      return store.snapshot.application_passwords
        .filter((asp) => asp.user_id === params.id)
        .map(aspResponse);
    },
  );

  route(
    'POST',
    '/users/:id/application-passwords',
    'create:user_application_passwords',
    ({ params, body, reply }) => {
      const input = parseBody(createSchema, body);
      const value = newApplicationPasswordValue();
      const created = store.mutate((state) => {
        if (!findUser(state, params.id ?? '')) throw userMissing();
        const api = state.resource_servers.find((server) => server.identifier === input.audience);
        // UNCONFIRMED (draft is silent): audience must be an existing API and scopes must be among its scopes.
        if (!api)
          throw badRequest(
            `No resource server with identifier ${input.audience}.`,
            'inexistent_resource_server',
          );
        const unknownScope = input.scope.find(
          (scope) => !api.scopes.some((defined) => defined.value === scope),
        );
        if (unknownScope)
          throw badRequest(
            `Scope ${unknownScope} is not defined on ${input.audience}.`,
            'invalid_scope',
          );
        const record: ApplicationPasswordRecord = {
          id: newIds.applicationPassword(),
          user_id: params.id ?? '',
          label: input.label,
          audience: input.audience,
          scope: input.scope,
          value_hash: hashApplicationPassword(value),
          created_at: new Date().toISOString(),
        };
        state.application_passwords.push(record);
        return record;
      });
      reply.code(201);
      return { ...aspResponse(created), value };
    },
  );

  route(
    'DELETE',
    '/users/:id/application-passwords/:aspId',
    'delete:user_application_passwords',
    ({ params, reply }) => {
      store.mutate((state) => {
        if (!findUser(state, params.id ?? '')) throw userMissing();
        const exists = state.application_passwords.some(
          (asp) => asp.id === params.aspId && asp.user_id === params.id,
        );
        if (!exists)
          throw notFound(
            'The application password does not exist.',
            'inexistent_application_password',
          );
        state.application_passwords = state.application_passwords.filter(
          (asp) => asp.id !== params.aspId,
        );
      });
      reply.code(204);
    },
  );
}
