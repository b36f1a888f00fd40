// /api/v2/resource-servers (docs/auth0-facts.md §5): CRUD, `{id}` = id or identifier, 409 on
// duplicate identifier, a read-only system API "Auth0 Management API", and the introspection
// draft's verificationKey / verificationLocation.
import { z } from 'zod';
import { ManagementApiError, badRequest, conflict, notFound } from '../errors.js';
import { newIds } from '../ids.js';
import type { TenantContext } from '../context.js';
import type { JsonObject, ResourceServerRecord, TenantState } from '../state/types.js';
import { paginate, projectFields, queryStrings } from './pagination.js';
import { parseBody } from './validation.js';
import { withoutUndefined, type ManagementRoute } from './routes.js';
import { publicKeyFromVerificationKey } from './verification-key.js';

const scopeSchema = z.strictObject({
  value: z.string().min(1).max(280),
  description: z.string().max(500).optional(),
});
const json = z.json();

const editableFields = {
  name: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[^<>]*$/, "Does not allow '<' or '>'")
    .optional(),
  scopes: z.array(scopeSchema).optional(),
  signing_alg: z.enum(['HS256', 'RS256', 'RS512', 'PS256']).optional(),
  signing_secret: z.string().min(16).optional(),
  allow_offline_access: z.boolean().optional(),
  allow_online_access: z.boolean().optional(),
  allow_online_access_with_ephemeral_sessions: z.boolean().optional(),
  token_lifetime: z.number().int().min(0).max(2_592_000).optional(),
  // Accepted-but-undocumented (docs/auth0-facts.md §5).
  token_lifetime_for_web: z.number().int().min(0).max(2_592_000).optional(),
  token_lifetime_for_anonymous_access_tokens: z.number().int().min(0).max(2_592_000).optional(),
  token_dialect: z
    .enum(['access_token', 'access_token_authz', 'rfc9068_profile', 'rfc9068_profile_authz'])
    .optional(),
  skip_consent_for_verifiable_first_party_clients: z.boolean().optional(),
  enforce_policies: z.boolean().optional(),
  token_encryption: json.optional(),
  consent_policy: z.enum(['transactional-authorization-with-mfa']).nullable().optional(),
  authorization_details: json.optional(),
  proof_of_possession: json.optional(),
  subject_type_authorization: json.optional(),
  authorization_policy: json.optional(),
  // 2017 introspection draft (not in today's spec → UNCONFIRMED), accepted for /oauth/introspect.
  verificationKey: z
    .union([z.string(), z.record(z.string(), json)])
    .nullable()
    .optional(),
  verificationLocation: z
    .url({ protocol: /^https?$/ })
    .nullable()
    .optional(),
};

const createSchema = z.strictObject({ identifier: z.string().min(1).max(600), ...editableFields });
const updateSchema = z.strictObject(editableFields);
// Auth0 lets system APIs change only these (docs/auth0-deploy-cli.md A8).
const systemEditable = new Set([
  'token_lifetime',
  'proof_of_possession',
  'skip_consent_for_verifiable_first_party_clients',
  'subject_type_authorization',
  'authorization_policy',
]);

const missing = () => notFound('The resource server does not exist', 'inexistent_resource_server');

export function findResourceServer(
  state: Readonly<TenantState>,
  idOrIdentifier: string,
): ResourceServerRecord | undefined {
  return (
    state.resource_servers.find((server) => server.id === idOrIdentifier) ??
    state.resource_servers.find((server) => server.identifier === idOrIdentifier)
  );
}

// Auth0's own APIs a tenant can add by identifier; Auth0 fills them in from a template and marks them
// system APIs (recorded: TestResourceServer_ExpressConfiguration).
const systemTemplates: Record<string, JsonObject> = {
  'urn:auth0:express-configure': {
    name: 'Okta OIN Express Configuration API',
    scopes: [
      { value: 'express_configure:sso', description: 'Ability to create SSO configurations' },
      { value: 'express_configure:scim', description: 'Ability to create scim configurations' },
    ],
    signing_alg: 'RS256',
    allow_offline_access: false,
    token_lifetime: 300,
    token_lifetime_for_web: 7200,
    skip_consent_for_verifiable_first_party_clients: false,
    enforce_policies: true,
    is_system: true,
    subject_type_authorization: { user: { policy: 'allow_all' }, client: { policy: 'deny_all' } },
  },
};

/**
 * The API view. The HS256 signing secret is not returned (recorded creates and reads of HS256 APIs carry
 * none); an API a client was created for names that client (`client_id`, TestClient_CreateLinkedToResourceServer).
 */
function toResponse(server: ResourceServerRecord, state: Readonly<TenantState>): JsonObject {
  const { is_system, signing_secret: _secret, ...rest } = server;
  const linked = state.clients.find(
    (client) => client.resource_server_identifier === server.identifier,
  );
  return withoutUndefined({
    ...rest,
    ...(is_system ? { is_system: true } : {}),
    ...(linked ? { client_id: linked.client_id } : {}),
  });
}

function checkVerificationKey(body: { verificationKey?: unknown }): void {
  if (body.verificationKey !== undefined && body.verificationKey !== null)
    publicKeyFromVerificationKey(body.verificationKey);
}

export function registerResourceServerRoutes(route: ManagementRoute, tenant: TenantContext): void {
  const { store } = tenant;

  route('GET', '/resource-servers', 'read:resource_servers', ({ query }) => {
    const identifiers = queryStrings(query, 'identifiers');
    const servers = store.snapshot.resource_servers
      .filter((server) => identifiers.length === 0 || identifiers.includes(server.identifier))
      .map((server) => projectFields(toResponse(server, store.snapshot), query));
    return paginate(servers, query, 'resource_servers');
  });

  route('GET', '/resource-servers/:id', 'read:resource_servers', ({ params, query }) => {
    const server = findResourceServer(store.snapshot, params.id ?? '');
    if (!server) throw missing();
    return projectFields(toResponse(server, store.snapshot), query);
  });

  route('POST', '/resource-servers', 'create:resource_servers', ({ body, reply }) => {
    const input = parseBody(createSchema, body);
    checkVerificationKey(input);
    if (input.signing_alg === 'HS256' && input.signing_secret === undefined) {
      input.signing_secret = newIds.clientSecret().slice(0, 32);
    }
    const created = store.mutate((state) => {
      if (state.resource_servers.some((server) => server.identifier === input.identifier)) {
        throw conflict('A resource server with the same identifier already exists.');
      }
      // No token_dialect / enforce_policies unless sent: Auth0 does not echo defaults for them (recorded).
      const record: ResourceServerRecord = withoutUndefined({
        id: newIds.resourceServer(),
        name: input.name ?? input.identifier,
        is_system: false,
        signing_alg: 'RS256',
        allow_offline_access: false,
        token_lifetime: 86_400,
        token_lifetime_for_web: 7_200,
        skip_consent_for_verifiable_first_party_clients: false,
        ...input,
        ...systemTemplates[input.identifier],
        identifier: input.identifier,
        scopes: input.scopes ?? [],
      });
      state.resource_servers.push(record);
      return record;
    });
    reply.code(201);
    return toResponse(created, store.snapshot);
  });

  route('PATCH', '/resource-servers/:id', 'update:resource_servers', ({ params, body }) => {
    const input = parseBody(updateSchema, body);
    checkVerificationKey(input);
    return store.mutate((state) => {
      const server = findResourceServer(state, params.id ?? '');
      if (!server) throw missing();
      if (server.is_system) {
        const refused = Object.keys(input).filter((key) => !systemEditable.has(key));
        if (refused.length > 0) {
          throw badRequest(
            `Payload validation error: 'Additional properties not allowed: ${refused.join(',')}' (system resource server).`,
          );
        }
      }
      for (const [key, value] of Object.entries(input)) {
        // null clears an optional property (e.g. verificationKey: null).
        if (value === null && key !== 'consent_policy') delete server[key];
        else server[key] = value;
      }
      return toResponse(server, state);
    });
  });

  route('DELETE', '/resource-servers/:id', 'delete:resource_servers', ({ params, reply }) => {
    reply.code(204);
    // Auth0 answers 204 also when the API is already gone (recorded: TestResourceServer_Delete).
    if (!findResourceServer(store.snapshot, params.id ?? '')) return;
    store.mutate((state) => {
      const server = findResourceServer(state, params.id ?? '');
      if (!server) throw missing();
      // Only the Management API itself is permanent; system APIs added from a template can be deleted.
      if (server.is_system && systemTemplates[server.identifier] === undefined)
        throw new ManagementApiError(
          403,
          'You cannot delete a system resource server.',
          'operation_not_supported',
        );
      state.resource_servers = state.resource_servers.filter((candidate) => candidate !== server);
      // Grants for a deleted API are meaningless; Auth0 removes them (UNCONFIRMED, inferred).
      state.client_grants = state.client_grants.filter(
        (grant) => grant.audience !== server.identifier,
      );
    });
  });
}
