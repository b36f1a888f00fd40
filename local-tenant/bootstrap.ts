// What every start ensures: signing key, the system API "Auth0 Management API" at this start's domain, and a
// bootstrap M2M client with a grant on it for all scopes (the credentials written to .local-tenant/.env).
import type { TenantContext } from './context.js';
import { newIds } from './ids.js';
import { managementScopes } from './management/scopes.js';
import { createClientRecord } from './management/clients.js';
import { defaultDatabaseConnectionName } from './state/defaults.js';

export const bootstrapClientName = 'Local Tenant Bootstrap (Management API)';
export const managementApiName = 'Auth0 Management API';

export interface BootstrapCredentials {
  clientId: string;
  clientSecret: string;
}

export function ensureBootstrap(tenant: TenantContext): BootstrapCredentials {
  tenant.keys.ensure();
  const audience = tenant.managementAudience;
  return tenant.store.mutate((state) => {
    // The port (and so the audience) can change between starts; move the system API and its grants along.
    let system = state.resource_servers.find(
      (server) => server.is_system && server.name === managementApiName,
    );
    const previousAudience = system?.identifier;
    if (!system) {
      system = {
        id: newIds.resourceServer(),
        name: managementApiName,
        identifier: audience,
        is_system: true,
        scopes: [],
        signing_alg: 'RS256',
        allow_offline_access: false,
        token_lifetime: 86_400,
        token_lifetime_for_web: 7_200,
        skip_consent_for_verifiable_first_party_clients: false,
      };
      state.resource_servers.unshift(system);
    }
    system.identifier = audience;
    system.scopes = managementScopes.map((value) => ({
      value,
      description: value.replace(':', ' ').replace(/_/g, ' '),
    }));
    for (const grant of state.client_grants)
      if (grant.audience === previousAudience) grant.audience = audience;

    let client = state.clients.find((candidate) => candidate.name === bootstrapClientName);
    if (!client) {
      client = createClientRecord({
        name: bootstrapClientName,
        app_type: 'non_interactive',
        description: 'Created by the local tenant; its credentials are in .local-tenant/.env',
      });
      state.clients.push(client);
    }
    const clientId = client.client_id;
    const grant = state.client_grants.find(
      (candidate) => candidate.client_id === clientId && candidate.audience === audience,
    );
    if (grant) grant.scope = [...managementScopes];
    else
      state.client_grants.push({
        id: newIds.clientGrant(),
        client_id: clientId,
        audience,
        scope: [...managementScopes],
        subject_type: 'client',
      });

    const database = state.connections.find(
      (connection) => connection.name === defaultDatabaseConnectionName,
    );
    if (database && !database.enabled_clients.includes(clientId))
      database.enabled_clients.push(clientId);
    return { clientId, clientSecret: client.client_secret };
  });
}
