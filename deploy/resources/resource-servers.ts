// APIs (resource servers), matched by identifier. The API has no metadata field, so no ownership marker can be
// stored on it: resource servers are never deleted by the deploy (remove them by hand after removing them here).
import { ManagementError, type Management } from 'auth0';
import { resourceServerSchema, type ResourceServerConfig } from '../config/schema.js';
import { collectPages, createdId, pick } from './pages.js';
import type { ResourceContext, ResourceModule } from './types.js';

/** Compared: every field of the config schema but the key. */
const fields = resourceServerSchema.keyof().exclude(['identifier']).options;
type ResourceServerState = Omit<ResourceServerConfig, 'identifier'>;
/** Fields a tenant may refuse (not in Auth0's published schema); the SDK's types do not have them either. */
const unsupportedFields = ['verificationKey', 'verificationLocation'] as const;
type UnsupportedField = (typeof unsupportedFields)[number];
type LiveResourceServer = Partial<
  Pick<Management.ResourceServer, Exclude<(typeof fields)[number], UnsupportedField>> &
    Record<UnsupportedField, string>
>;

export const resourceServers: ResourceModule<
  ResourceServerState,
  LiveResourceServer,
  Management.ResourceServer
> = {
  type: 'resourceServers',
  dependsOn: [],
  setFields: ['scopes'],
  isManaged: (state) => state.sections.resourceServers !== undefined,

  desired(state) {
    return (state.sections.resourceServers ?? []).map(({ identifier, ...api }) => ({
      key: identifier,
      body: api,
    }));
  },

  list({ mgmt }) {
    return collectPages(mgmt.resourceServers.list({ per_page: 100, include_totals: true }));
  },

  flatten(api) {
    if (api.is_system || !api.identifier || !api.id) return undefined;
    const body: LiveResourceServer = pick(api, fieldsTheSdkKnows);
    if (api.scopes)
      body.scopes = api.scopes.map(({ value, description }) =>
        description === undefined ? { value } : { value, description },
      );
    for (const field of unsupportedFields) {
      const value: unknown = field in api ? Reflect.get(api, field) : undefined;
      if (typeof value === 'string') body[field] = value;
    }
    return { key: api.identifier, id: api.id, body, owned: false };
  },

  async create(context, item) {
    const created = await withVerificationKeyFallback(context, item.key, item.body, (body) =>
      context.mgmt.resourceServers.create({ identifier: item.key, ...body }),
    );
    return createdId(created.id, `resource server "${item.key}"`);
  },

  async update(context, live, changed) {
    await withVerificationKeyFallback(context, live.key, changed, async (body) => {
      if (Object.keys(body).length > 0) await context.mgmt.resourceServers.update(live.id, body);
    });
  },
};

const fieldsTheSdkKnows = fields.filter(
  (field): field is Exclude<(typeof fields)[number], UnsupportedField> =>
    !unsupportedFields.some((unsupported) => unsupported === field),
);

/**
 * Auth0 never shipped `verificationKey` generally (it is not in the resource server schema of
 * https://auth0.com/docs/api/management/v2/resource-servers/post-resource-servers): a real tenant answers 400
 * "Additional properties not allowed". Record the refusal and continue without it, unless the env file marks it
 * required.
 */
export async function withVerificationKeyFallback<T>(
  context: ResourceContext,
  key: string,
  body: Partial<ResourceServerState>,
  send: (body: Partial<ResourceServerState>) => Promise<T>,
): Promise<T> {
  try {
    return await send(body);
  } catch (error) {
    const said =
      error instanceof ManagementError && error.statusCode === 400
        ? `${error.message} ${JSON.stringify(error.body ?? '')}`
        : '';
    const rejected = unsupportedFields.filter((field) => field in body && said.includes(field));
    if (rejected.length === 0 || context.desired.deploy.verificationKeyRequired) throw error;
    context.refuse({
      type: 'resourceServers',
      key,
      fields: rejected,
      message:
        `the tenant rejected ${rejected.join(', ')} on the resource server (Auth0 has not shipped it): continuing without it. ` +
        'Set deploy.verificationKeyRequired in the env file to make this an error.',
    });
    const rest = { ...body };
    for (const field of rejected) delete rest[field];
    return send(rest);
  }
}
