// `npm run export`: an existing tenant as tenant.yaml + env/<env>.json that `npm run diff` accepts unchanged.
// Only the sections and fields this repository manages (projected through the config schema, so read-only fields
// such as created_at never appear); never the deploy client or its grants, system APIs or the default database;
// tenant-specific values (the domain, a client's URLs) and Action secrets (write-only in Auth0) as keywords.
import type { ManagementClient } from 'auth0';
import { stringify } from 'yaml';
import type { z } from 'zod';
import {
  actionSchema,
  clientSchema,
  databaseSchema,
  guardianFactorNames,
  resourceServerSchema,
} from '../config/schema.js';
import { splitMarker } from '../resources/action-marker.js';
import { isCommandPartner } from '../resources/clients.js';
import { collectPages } from '../resources/pages.js';
import { managedByKey } from '../resources/types.js';

export interface ExportedTenant {
  /** tenant.yaml text. */
  tenantYaml: string;
  /** env/<env>.json content. */
  envFile: {
    AUTH0_KEYWORD_REPLACE_MAPPINGS: Record<string, unknown>;
    deploy: Record<string, unknown>;
  };
  /** Action code by file path relative to tenant.yaml. */
  actionFiles: Map<string, string>;
  /** Keywords whose values must come from the environment (Action secrets): never written to a file. */
  secretKeywords: string[];
  notes: string[];
}

type Json = Record<string, unknown>;

/** The part of value the schema describes, recursively: unknown (read-only, tenant-added) keys are dropped. */
export function projectOnSchema(schema: z.ZodType, value: unknown): unknown {
  const def = (schema as unknown as { _zod: { def: Json } })._zod.def;
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'nullable':
      return projectOnSchema(def.innerType as z.ZodType, value);
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
      const shape = def.shape as Record<string, z.ZodType>;
      const out: Json = {};
      for (const [key, fieldSchema] of Object.entries(shape)) {
        const field = (value as Json)[key];
        if (field !== undefined && field !== null) out[key] = projectOnSchema(fieldSchema, field);
      }
      return out;
    }
    case 'array':
      return Array.isArray(value)
        ? value.map((item) => projectOnSchema(def.element as z.ZodType, item))
        : value;
    default:
      return value;
  }
}

const keywordName = (...parts: string[]): string =>
  parts
    .join('_')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

/** Every string mentioning the tenant's domain refers to it through the AUTH0_DOMAIN keyword instead. */
function withDomainKeyword(value: unknown, domain: string): unknown {
  if (typeof value === 'string') return value.split(domain).join('##AUTH0_DOMAIN##');
  if (Array.isArray(value)) return value.map((item) => withDomainKeyword(item, domain));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, withDomainKeyword(item, domain)]),
    );
  return value;
}

const urlFields = ['callbacks', 'allowed_logout_urls', 'web_origins', 'allowed_origins'] as const;

export async function exportTenant(
  mgmt: ManagementClient,
  target: { domain: string; deployClientId: string },
): Promise<ExportedTenant> {
  const notes: string[] = [];
  const mappings: Record<string, unknown> = {};
  const secretKeywords: string[] = [];
  const actionFiles = new Map<string, string>();

  const apis = (
    await collectPages(mgmt.resourceServers.list({ per_page: 100, include_totals: true }))
  ).filter((api) => !api.is_system && api.identifier);
  const resourceServers = apis.map((api) => {
    const projected = projectOnSchema(resourceServerSchema, api) as Json;
    // The deploy computes it from keys/ (npm run keys); a copy here would go stale at the next rotation.
    if (projected.verificationKey)
      projected.verificationKey = '@@RESOURCE_SERVER_VERIFICATION_KEY@@';
    return projected;
  });

  const liveClients = (
    await collectPages(mgmt.clients.list({ per_page: 100, include_totals: true, is_global: false }))
  ).filter((client) => client.name && client.client_id && !client.global);
  const exportedClients = liveClients.filter(
    (client) => client.client_id !== target.deployClientId && !isCommandPartner(client),
  );
  if (liveClients.some((client) => client.client_id === target.deployClientId))
    notes.push('left out the deploy client (the one this export authenticated as) and its grants');
  const partners = liveClients.filter(isCommandPartner).length;
  if (partners > 0)
    notes.push(
      `left out ${partners} partner client(s) and their grants (managed with npm run partner)`,
    );
  const clientNames = new Map(exportedClients.map((client) => [client.client_id!, client.name!]));
  const clients = exportedClients.map((client) => {
    const projected = projectOnSchema(clientSchema, client) as Json;
    const metadata = { ...(projected.client_metadata as Json | undefined) };
    delete metadata[managedByKey]; // the deploy adds its ownership marker itself
    if (Object.keys(metadata).length > 0) projected.client_metadata = metadata;
    else delete projected.client_metadata;
    for (const field of urlFields) {
      const urls = projected[field];
      if (!Array.isArray(urls) || urls.length === 0) continue;
      const keyword = keywordName(client.name!, field);
      mappings[keyword] = urls;
      projected[field] = `@@${keyword}@@`;
    }
    return projected;
  });

  const clientGrants = (await collectPages(mgmt.clientGrants.list({ take: 100 })))
    .filter((grant) => !grant.is_system && clientNames.has(grant.client_id ?? ''))
    .map((grant) => ({
      client_id: clientNames.get(grant.client_id!)!,
      audience: grant.audience,
      scope: grant.scope ?? [],
      ...(grant.subject_type && grant.subject_type !== 'client'
        ? { subject_type: grant.subject_type }
        : {}),
    }));

  const liveActions = (await collectPages(mgmt.actions.list({ per_page: 100 }))).filter(
    (action) => action.id && action.name && !action.installed_integration_id,
  );
  const actions = liveActions.map((action) => {
    const file = `actions/${action.name!.replace(/[^A-Za-z0-9._-]+/g, '-')}.js`;
    actionFiles.set(file, splitMarker(action.code ?? '').code);
    const secrets = (action.secrets ?? []).map((secret) => {
      const keyword = keywordName('ACTION', action.name!, secret.name!);
      secretKeywords.push(keyword);
      return { name: secret.name!, value: `##${keyword}##` };
    });
    const projected = projectOnSchema(actionSchema, {
      name: action.name,
      code: `./${file}`,
      runtime: action.runtime,
      deployed: Boolean(action.all_changes_deployed && action.deployed_version),
      dependencies: action.dependencies ?? [],
      secrets,
      supported_triggers: action.supported_triggers,
    }) as Json;
    return projected;
  });
  if (secretKeywords.length > 0)
    notes.push(
      `Action secrets cannot be read back: set ${secretKeywords.join(', ')} in the environment (CI secrets), never in a file`,
    );

  const triggers: Record<string, { action_name: string; display_name: string }[]> = {};
  for (const trigger of (await mgmt.actions.triggers.list()).triggers ?? []) {
    const id = trigger.id as string | undefined;
    if (!id || triggers[id]) continue;
    const bindings = await collectPages(
      mgmt.actions.triggers.bindings.list(id as never, { per_page: 50 }),
    );
    if (bindings.length > 0)
      triggers[id] = bindings.map((binding) => ({
        action_name: binding.action?.name ?? '',
        display_name: binding.display_name ?? binding.action?.name ?? '',
      }));
  }

  const guardianFactors = (await mgmt.guardian.factors.list())
    .filter((factor) => (guardianFactorNames as readonly string[]).includes(factor.name ?? ''))
    .map((factor) => ({ name: factor.name, enabled: Boolean(factor.enabled) }));
  const guardianPolicies = { policies: await mgmt.guardian.policies.list() };

  const databases = (await collectPages(mgmt.connections.list({ strategy: 'auth0', take: 100 })))
    // Every tenant has it from the start; managing it here would make the repository own it.
    .filter(
      (connection) => connection.name && connection.name !== 'Username-Password-Authentication',
    )
    .map((connection) => {
      const raw = connection as Json;
      const enabled = ((raw.enabled_clients as string[] | undefined) ?? []).filter((id) =>
        clientNames.has(id),
      );
      return projectOnSchema(databaseSchema, {
        ...raw,
        enabled_clients: enabled.map((id) => clientNames.get(id)),
      });
    });

  const sections = withDomainKeyword(
    {
      resourceServers,
      clients,
      clientGrants,
      ...(databases.length > 0 ? { databases } : {}),
      actions,
      ...(Object.keys(triggers).length > 0 ? { triggers } : {}),
      guardianFactors,
      guardianPolicies,
    },
    target.domain,
  );
  const header = [
    '# Written by npm run export: the sections and fields this repository manages.',
    '# Per-environment values are keywords from env/<env>.json; Action secrets come from the environment.',
    '',
  ].join('\n');
  return {
    tenantYaml: header + stringify(sections, { lineWidth: 0 }),
    envFile: {
      AUTH0_KEYWORD_REPLACE_MAPPINGS: withDomainKeyword(mappings, target.domain) as Json,
      deploy: { verificationKeyRequired: false },
    },
    actionFiles,
    secretKeywords,
    notes,
  };
}
