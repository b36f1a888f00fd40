// /api/v2/clients/{id}/credentials (private_key_jwt keys, TLS client certificates) and
// /api/v2/clients/{id}/connections (the connections a client is enabled for).
import { notFound } from '../errors.js';
import type { TenantContext } from '../context.js';
import { paginate } from './pagination.js';
import { parseBody } from './validation.js';
import type { ManagementRoute } from './routes.js';
import {
  credentialInputSchema,
  credentialResponse,
  credentialUpdateSchema,
  newCredential,
} from './client-credentials-store.js';
import { findClient } from './clients.js';
import { connectionResponse } from './connections.js';

const missingClient = () => notFound('The client does not exist', 'inexistent_client');
const missingCredential = () => notFound('The credential does not exist', 'inexistent_credential');

export function registerClientCredentialRoutes(
  route: ManagementRoute,
  tenant: TenantContext,
): void {
  const { store } = tenant;

  route('GET', '/clients/:id/credentials', 'read:client_credentials', ({ params }) => {
    if (!findClient(store.snapshot, params.id ?? '')) throw missingClient();
    return (store.snapshot.client_credentials[params.id ?? ''] ?? []).map((credential) =>
      credentialResponse(credential),
    );
  });

  route(
    'POST',
    '/clients/:id/credentials',
    'create:client_credentials',
    ({ params, body, reply }) => {
      const credential = newCredential(parseBody(credentialInputSchema, body));
      store.mutate((state) => {
        if (!findClient(state, params.id ?? '')) throw missingClient();
        (state.client_credentials[params.id ?? ''] ??= []).push(credential);
      });
      reply.code(201);
      return credentialResponse(credential, 'created');
    },
  );

  route(
    'GET',
    '/clients/:id/credentials/:credentialId',
    'read:client_credentials',
    ({ params }) => {
      if (!findClient(store.snapshot, params.id ?? '')) throw missingClient();
      const credential = (store.snapshot.client_credentials[params.id ?? ''] ?? []).find(
        ({ id }) => id === params.credentialId,
      );
      if (!credential) throw missingCredential();
      return credentialResponse(credential);
    },
  );

  // Only the expiry can change (recorded TestClient_UpdateCredential).
  route(
    'PATCH',
    '/clients/:id/credentials/:credentialId',
    'update:client_credentials',
    ({ params, body }) => {
      const input = parseBody(credentialUpdateSchema, body);
      return store.mutate((state) => {
        if (!findClient(state, params.id ?? '')) throw missingClient();
        const credential = (state.client_credentials[params.id ?? ''] ?? []).find(
          ({ id }) => id === params.credentialId,
        );
        if (!credential) throw missingCredential();
        if (input.expires_at === null) delete credential.expires_at;
        else if (input.expires_at !== undefined)
          credential.expires_at = new Date(input.expires_at).toISOString();
        credential.updated_at = new Date().toISOString();
        return credentialResponse(credential);
      });
    },
  );

  // 204 also when the credential is already gone (recorded: TestClient_DeleteCredential).
  route(
    'DELETE',
    '/clients/:id/credentials/:credentialId',
    'delete:client_credentials',
    ({ params, reply }) => {
      store.mutate((state) => {
        if (!findClient(state, params.id ?? '')) throw missingClient();
        const list = state.client_credentials[params.id ?? ''] ?? [];
        state.client_credentials[params.id ?? ''] = list.filter(
          ({ id }) => id !== params.credentialId,
        );
      });
      reply.code(204);
    },
  );

  // Checkpoint-paginated like Auth0 (recorded: {"connections": [...]} for ?take=50).
  route('GET', '/clients/:id/connections', 'read:connections', ({ params, query }) => {
    if (!findClient(store.snapshot, params.id ?? '')) throw missingClient();
    const connections = store.snapshot.connections
      .filter((connection) => connection.enabled_clients.includes(params.id ?? ''))
      .map(connectionResponse);
    return paginate(connections, { take: '50', ...query }, 'connections', { checkpoint: true });
  });
}
