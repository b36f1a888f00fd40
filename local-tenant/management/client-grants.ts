// /api/v2/client-grants (docs/auth0-facts.md §6): one grant per (client, audience, subject_type) →
// 409; both list styles.
import { z } from 'zod';
import { badRequest, conflict, notFound } from '../errors.js';
import { newIds } from '../ids.js';
import type { TenantContext } from '../context.js';
import type { ClientGrantRecord, JsonObject } from '../state/types.js';
import { paginate, queryBoolean, queryString } from './pagination.js';
import { parseBody } from './validation.js';
import { withoutUndefined, type ManagementRoute } from './routes.js';

const mutableFields = {
  organization_usage: z.enum(['deny', 'allow', 'require']).optional(),
  allow_any_organization: z.boolean().optional(),
  authorization_details_types: z.array(z.string()).optional(),
  allow_all_scopes: z.boolean().optional(),
};

const createSchema = z.strictObject({
  client_id: z.string().min(1).optional(),
  audience: z.string().min(1).max(600),
  scope: z.array(z.string().min(1)).optional(),
  subject_type: z.enum(['client', 'user']).optional(),
  default_for: z.enum(['third_party_clients']).optional(),
  ...mutableFields,
});

const updateSchema = z.strictObject({
  scope: z.array(z.string().min(1)).nullable().optional(),
  ...mutableFields,
});

const missing = () => notFound('The grant does not exist.', 'inexistent_client_grant');

function grantResponse(grant: ClientGrantRecord): JsonObject {
  return withoutUndefined({ ...grant });
}

export function registerClientGrantRoutes(route: ManagementRoute, tenant: TenantContext): void {
  const { store } = tenant;

  route('GET', '/client-grants', 'read:client_grants', ({ query }) => {
    const audience = queryString(query, 'audience');
    const clientId = queryString(query, 'client_id');
    const subjectType = queryString(query, 'subject_type');
    const allowAnyOrganization = queryBoolean(query, 'allow_any_organization');
    const grants = store.snapshot.client_grants
      .filter((grant) => !audience || grant.audience === audience)
      .filter((grant) => !clientId || grant.client_id === clientId)
      .filter((grant) => !subjectType || grant.subject_type === subjectType)
      .filter(
        (grant) =>
          allowAnyOrganization === undefined ||
          Boolean(grant.allow_any_organization) === allowAnyOrganization,
      )
      .map(grantResponse);
    return paginate(grants, query, 'client_grants', { checkpoint: true });
  });

  route('GET', '/client-grants/:id', 'read:client_grants', ({ params }) => {
    const grant = store.snapshot.client_grants.find((candidate) => candidate.id === params.id);
    if (!grant) throw missing();
    return grantResponse(grant);
  });

  route('POST', '/client-grants', 'create:client_grants', ({ body, reply }) => {
    const input = parseBody(createSchema, body);
    const created = store.mutate((state) => {
      const client = state.clients.find((candidate) => candidate.client_id === input.client_id);
      if (input.client_id && !client) throw notFound('Client not found', 'inexistent_client');
      if (client?.app_type === 'express_configuration')
        throw badRequest('Client of type express_configuration cannot be used', 'validation_error');
      if (!state.resource_servers.some((server) => server.identifier === input.audience)) {
        throw notFound('Resource server not found', 'inexistent_resource_server');
      }
      const subjectType = input.subject_type ?? 'client';
      const duplicate = state.client_grants.some(
        (grant) =>
          grant.audience === input.audience &&
          grant.subject_type === subjectType &&
          (input.client_id
            ? grant.client_id === input.client_id
            : grant.default_for === input.default_for),
      );
      // Exact Auth0 text UNCONFIRMED (deploy-cli issue #1237 title: "client_grant already exists").
      if (duplicate)
        throw conflict('A client grant for this client, audience and subject type already exists.');
      const record = withoutUndefined({
        id: newIds.clientGrant(),
        ...input,
        client_id: input.client_id ?? '',
        scope: input.scope ?? [],
        subject_type: subjectType,
      });
      state.client_grants.push(record);
      return record;
    });
    reply.code(201);
    return grantResponse(created);
  });

  route('PATCH', '/client-grants/:id', 'update:client_grants', ({ params, body }) => {
    const input = parseBody(updateSchema, body);
    return store.mutate((state) => {
      const grant = state.client_grants.find((candidate) => candidate.id === params.id);
      if (!grant) throw missing();
      const { scope, ...fields } = input;
      if (scope !== undefined) grant.scope = scope ?? [];
      for (const [key, value] of Object.entries(fields))
        if (value !== undefined) grant[key] = value;
      return grantResponse(grant);
    });
  });

  // 204 also when the grant is already gone (recorded: TestClientGrantManager_Delete).
  route('DELETE', '/client-grants/:id', 'delete:client_grants', ({ params, reply }) => {
    store.mutate((state) => {
      state.client_grants = state.client_grants.filter((grant) => grant.id !== params.id);
    });
    reply.code(204);
  });
}
