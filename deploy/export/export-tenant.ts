// `npm run export`: an existing tenant as tenant.yaml + env/<env>.json that `npm run diff` accepts unchanged.
// Only the sections and fields this repository manages (projected through the config schema, so read-only fields
// such as created_at never appear); never the deploy client or its grants, system APIs or the default database;
// tenant-specific values (the domain, a client's URLs) and Action secrets (write-only in Auth0) as keywords.
import { Management, type ManagementClient } from 'auth0';
import { stringify } from 'yaml';
import { z } from 'zod';
import {
  actionSchema,
  clientSchema,
  databaseSchema,
  guardianFactorNames,
  resourceServerSchema,
} from '../config/schema.js';
import { splitMarker } from '../resources/action-marker.js';
import { isCommandPartner } from '../resources/clients.js';
import { isOneOf, isRecord } from '../../lib/guards.js';
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
export function projectOnSchema(schema: z.core.$ZodType, value: unknown): unknown {
  if (
    schema instanceof z.ZodOptional ||
    schema instanceof z.ZodDefault ||
    schema instanceof z.ZodNullable
  )
    return projectOnSchema(schema.unwrap(), value);
  if (schema instanceof z.ZodObject) return isRecord(value) ? projectObject(schema, value) : value;
  if (schema instanceof z.ZodArray)
    return Array.isArray(value)
      ? value.map((item) => projectOnSchema(schema.element, item))
      : value;
  return value;
}

/** The fields of an object the object schema describes (see projectOnSchema). */
function projectObject(schema: z.ZodObject, value: object): Json {
  const fields = new Map(Object.entries(value));
  const out: Json = {};
  for (const [key, fieldSchema] of Object.entries(schema.shape)) {
    const field = fields.get(key);
    if (field !== undefined && field !== null) out[key] = projectOnSchema(fieldSchema, field);
  }
  return out;
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

const triggerIds = Object.values(Management.ActionTriggerTypeEnum);

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
    const projected = projectObject(resourceServerSchema, api);
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
    const projected = projectObject(clientSchema, client);
    const metadata = { ...(isRecord(projected.client_metadata) ? projected.client_metadata : {}) };
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
    return projectObject(actionSchema, {
      name: action.name,
      code: `./${file}`,
      runtime: action.runtime,
      deployed: Boolean(action.all_changes_deployed && action.deployed_version),
      dependencies: action.dependencies ?? [],
      secrets,
      supported_triggers: action.supported_triggers,
    });
  });
  if (secretKeywords.length > 0)
    notes.push(
      `Action secrets cannot be read back: set ${secretKeywords.join(', ')} in the environment (CI secrets), never in a file`,
    );

  const triggers: Record<string, { action_name: string; display_name: string }[]> = {};
  for (const trigger of (await mgmt.actions.triggers.list()).triggers ?? []) {
    const id = triggerIds.find((known) => known === trigger.id);
    if (!id || triggers[id]) continue;
    const bindings = await collectPages(mgmt.actions.triggers.bindings.list(id, { per_page: 50 }));
    if (bindings.length > 0)
      triggers[id] = bindings.map((binding) => ({
        action_name: binding.action?.name ?? '',
        display_name: binding.display_name ?? binding.action?.name ?? '',
      }));
  }

  const guardianFactors = (await mgmt.guardian.factors.list())
    .filter((factor) => isOneOf(guardianFactorNames, factor.name))
    .map((factor) => ({ name: factor.name, enabled: Boolean(factor.enabled) }));
  const guardianPolicies = { policies: await mgmt.guardian.policies.list() };

  const databases = (await collectPages(mgmt.connections.list({ strategy: 'auth0', take: 100 })))
    // Every tenant has it from the start; managing it here would make the repository own it.
    .filter(
      (connection) => connection.name && connection.name !== 'Username-Password-Authentication',
    )
    .map((connection) => {
      // Not in the SDK's list type, but in Auth0's answers (deprecated in favour of the clients endpoint).
      const listed =
        'enabled_clients' in connection && Array.isArray(connection.enabled_clients)
          ? connection.enabled_clients
          : [];
      const enabled = listed.filter(
        (id): id is string => typeof id === 'string' && clientNames.has(id),
      );
      return projectObject(databaseSchema, {
        ...connection,
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
      AUTH0_KEYWORD_REPLACE_MAPPINGS: Object.fromEntries(
        Object.entries(mappings).map(([key, value]) => [
          key,
          withDomainKeyword(value, target.domain),
        ]),
      ),
      deploy: { verificationKeyRequired: false },
    },
    actionFiles,
    secretKeywords,
    notes,
  };
}
