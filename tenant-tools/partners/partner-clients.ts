// Partners through the Management API: a partner is a machine-to-machine client marked in client_metadata, with
// one client grant on the banking API. Everything here refuses to touch a client that is not such a partner.
import type { Management } from 'auth0';
import {
  PARTNER_METADATA,
  isPartnerMetadata,
  type PartnerStatus,
} from '../../lib/banking-api-contract.js';
import { collectPages } from '../../deploy/resources/pages.js';
import { isCommandPartner } from '../../deploy/resources/clients.js';
import { ToolError } from '../errors.js';
import { errorAnswer, sdkFailure } from '../management-errors.js';
import type { ToolTenant } from '../tenant.js';

export type PartnerAuthentication = 'private_key_jwt' | 'client_secret_post';

/** What every subcommand shows about a partner; never a secret. */
export interface Partner {
  client_id: string;
  name: string;
  status: PartnerStatus;
  /** Scopes of its grant on the banking API (empty when the grant is missing). */
  scopes: string[];
  audience: string;
  created_at: string | null;
  authentication: PartnerAuthentication;
}

export interface NewPartner {
  name: string;
  scopes: string[];
  audience: string;
  /** PEM of the partner's public key: private_key_jwt instead of a client secret. */
  publicKeyPem?: string;
}

type Client = Management.Client;

function statusOf(client: Client): PartnerStatus {
  return client.client_metadata?.[PARTNER_METADATA.status] === 'active' ? 'active' : 'suspended';
}

function authenticationOf(client: Client): PartnerAuthentication {
  return client.client_authentication_methods?.private_key_jwt
    ? 'private_key_jwt'
    : 'client_secret_post';
}

function toPartner(
  client: Client,
  grants: Management.ClientGrantResponseContent[],
  audience: string,
): Partner {
  const grant = grants.find(
    (candidate) => candidate.client_id === client.client_id && candidate.audience === audience,
  );
  const createdAt: unknown = client.client_metadata?.[PARTNER_METADATA.createdAt];
  return {
    client_id: client.client_id!,
    name: client.name ?? '',
    status: statusOf(client),
    scopes: grant?.scope ?? [],
    audience,
    created_at: typeof createdAt === 'string' ? createdAt : null,
    authentication: authenticationOf(client),
  };
}

/** Management API scopes the partner command needs (README "Partners"). */
export const PARTNER_MANAGEMENT_SCOPES = [
  'read:clients',
  'create:clients',
  'update:clients',
  'delete:clients',
  'update:client_keys',
  'read:client_grants',
  'create:client_grants',
  'delete:client_grants',
  'read:resource_servers',
] as const;

async function call<T>(tenant: ToolTenant, request: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw failure(tenant, request, error);
  }
}

/** A refusal as one sentence; a 403 names the scopes this command needs (not the asp command's). */
function failure(tenant: ToolTenant, request: string, error: unknown): ToolError {
  const answer = errorAnswer(error);
  if (answer?.status === 403)
    return new ToolError(
      `${tenant.target.domain} refused ${request}: HTTP 403${answer.body.message ? ` (${answer.body.message})` : ''}. ` +
        `The client in AUTH0_CLIENT_ID needs these Management API scopes: ${PARTNER_MANAGEMENT_SCOPES.join(' ')}.`,
    );
  return sdkFailure(tenant.target.domain, request, error);
}

async function allClients(tenant: ToolTenant): Promise<Client[]> {
  return call(tenant, 'GET /api/v2/clients', () =>
    collectPages(tenant.mgmt.clients.list({ per_page: 100, is_global: false })),
  );
}

async function grantsOn(tenant: ToolTenant, audience: string, clientId?: string) {
  return call(tenant, 'GET /api/v2/client-grants', () =>
    collectPages(
      tenant.mgmt.clientGrants.list({
        audience,
        take: 100,
        ...(clientId ? { client_id: clientId } : {}),
      }),
    ),
  );
}

/** The partner client with this id; a clear refusal for an unknown id or a client that is not a partner. */
export async function findPartnerClient(tenant: ToolTenant, clientId: string): Promise<Client> {
  const domain = tenant.target.domain;
  let client: Client;
  try {
    client = await tenant.mgmt.clients.get(clientId);
  } catch (error) {
    if (errorAnswer(error)?.status === 404)
      throw new ToolError(`no client ${clientId} in ${domain}`);
    throw sdkFailure(domain, `GET /api/v2/clients/${clientId}`, error);
  }
  if (!isPartnerMetadata(client.client_metadata))
    throw new ToolError(
      `client ${clientId} ("${client.name}") is not a partner (its client_metadata has no partner: "true"); ` +
        'npm run partner only manages partners it created',
    );
  if (!isCommandPartner(client))
    throw new ToolError(
      `client ${clientId} ("${client.name}") is declared in tenant/tenant.yaml; change it there and run npm run deploy`,
    );
  return client;
}

export async function listPartners(tenant: ToolTenant, audience: string): Promise<Partner[]> {
  const partners = (await allClients(tenant)).filter(isCommandPartner);
  if (partners.length === 0) return [];
  const grants = await grantsOn(tenant, audience);
  return partners
    .map((client) => toPartner(client, grants, audience))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export async function showPartner(
  tenant: ToolTenant,
  clientId: string,
  audience: string,
): Promise<Partner> {
  const client = await findPartnerClient(tenant, clientId);
  return toPartner(client, await grantsOn(tenant, audience, clientId), audience);
}

export async function createPartner(
  tenant: ToolTenant,
  input: NewPartner,
): Promise<{ partner: Partner; clientSecret?: string }> {
  const domain = tenant.target.domain;
  // Names are how tenant.yaml and the deploy's plan refer to clients: two clients of one name would be ambiguous.
  const taken = (await allClients(tenant)).find((client) => client.name === input.name);
  if (taken)
    throw new ToolError(
      `${domain} already has a client named "${input.name}" (${taken.client_id}); choose another --name`,
    );
  const apis = await call(tenant, 'GET /api/v2/resource-servers', () =>
    collectPages(tenant.mgmt.resourceServers.list({ per_page: 100 })),
  );
  if (!apis.some((api) => api.identifier === input.audience))
    throw new ToolError(
      `${domain} has no API ${input.audience}: deploy tenant/ first (npm run deploy), or pass --audience`,
    );
  const metadata = {
    [PARTNER_METADATA.marker]: 'true',
    [PARTNER_METADATA.status]: 'active',
    [PARTNER_METADATA.createdAt]: new Date().toISOString(),
  };
  const authentication: Partial<Management.CreateClientRequestContent> = input.publicKeyPem
    ? {
        client_authentication_methods: {
          private_key_jwt: {
            credentials: [
              {
                credential_type: 'public_key',
                name: `${input.name} key`,
                pem: input.publicKeyPem,
                alg: 'RS256',
              },
            ],
          },
        },
      }
    : { token_endpoint_auth_method: 'client_secret_post' };
  const created = await call(tenant, 'POST /api/v2/clients', () =>
    tenant.mgmt.clients.create({
      name: input.name,
      description: 'Banking API partner (npm run partner)',
      app_type: 'non_interactive',
      grant_types: ['client_credentials'],
      oidc_conformant: true,
      jwt_configuration: { alg: 'RS256' },
      client_metadata: metadata,
      ...authentication,
    }),
  );
  const clientId = created.client_id!;
  try {
    const grant = await call(tenant, 'POST /api/v2/client-grants', () =>
      tenant.mgmt.clientGrants.create({
        client_id: clientId,
        audience: input.audience,
        scope: input.scopes,
      }),
    );
    const partner = toPartner(created, [grant], input.audience);
    return input.publicKeyPem
      ? { partner }
      : { partner, ...(created.client_secret ? { clientSecret: created.client_secret } : {}) };
  } catch (error) {
    // Half a partner (a client without its grant) must not stay behind.
    await tenant.mgmt.clients.delete(clientId).catch(() => undefined);
    throw error;
  }
}

export async function rotatePartnerSecret(
  tenant: ToolTenant,
  clientId: string,
): Promise<{ client_id: string; client_secret: string }> {
  const client = await findPartnerClient(tenant, clientId);
  if (authenticationOf(client) === 'private_key_jwt')
    throw new ToolError(
      `partner ${clientId} authenticates with private_key_jwt and has no usable secret; register the partner's new ` +
        'public key instead (delete and create the partner with --public-key)',
    );
  const rotated = await call(tenant, `POST /api/v2/clients/${clientId}/rotate-secret`, () =>
    tenant.mgmt.clients.rotateSecret(clientId),
  );
  if (!rotated.client_secret)
    throw new ToolError(
      `${tenant.target.domain} rotated the secret of ${clientId} but returned none`,
    );
  return { client_id: clientId, client_secret: rotated.client_secret };
}

export async function setPartnerStatus(
  tenant: ToolTenant,
  clientId: string,
  status: PartnerStatus,
  audience: string,
): Promise<Partner> {
  const client = await findPartnerClient(tenant, clientId);
  // The whole metadata object is sent: what Auth0 does with a partial client_metadata is not something to rely on.
  const updated = await call(tenant, `PATCH /api/v2/clients/${clientId}`, () =>
    tenant.mgmt.clients.update(clientId, {
      client_metadata: { ...client.client_metadata, [PARTNER_METADATA.status]: status },
    }),
  );
  return toPartner(updated, await grantsOn(tenant, audience, clientId), audience);
}

/** Deletes the partner's grants, then the client. */
export async function deletePartner(tenant: ToolTenant, clientId: string): Promise<void> {
  await findPartnerClient(tenant, clientId);
  const grants = await call(tenant, 'GET /api/v2/client-grants', () =>
    collectPages(tenant.mgmt.clientGrants.list({ client_id: clientId, take: 100 })),
  );
  for (const grant of grants)
    await call(tenant, `DELETE /api/v2/client-grants/${grant.id}`, () =>
      tenant.mgmt.clientGrants.delete(grant.id!),
    );
  await call(tenant, `DELETE /api/v2/clients/${clientId}`, () =>
    tenant.mgmt.clients.delete(clientId),
  );
}
