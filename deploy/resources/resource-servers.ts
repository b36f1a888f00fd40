// APIs (resource servers), matched by identifier. The API has no metadata field, so no ownership marker can be
// stored on it: resource servers are never deleted by the deploy (remove them by hand after removing them here).
import { ManagementError } from 'auth0';
import type { Body, LiveItem, ResourceContext, ResourceModule } from './types.js';
import { collectPages, pick } from './pages.js';

const fields = [
  'name',
  'signing_alg',
  'scopes',
  'token_lifetime',
  'token_lifetime_for_web',
  'token_dialect',
  'allow_offline_access',
  'skip_consent_for_verifiable_first_party_clients',
  'enforce_policies',
  'verificationKey',
  'verificationLocation',
] as const;

const unsupportedFields = ['verificationKey', 'verificationLocation'];

export const resourceServers: ResourceModule = {
  type: 'resourceServers',
  dependsOn: [],
  isManaged: (state) => state.sections.resourceServers !== undefined,
  setFields: ['scopes'],

  desired(state) {
    return (state.sections.resourceServers ?? []).map((api) => ({
      key: api.identifier,
      body: pick(api, fields),
    }));
  },

  async read({ mgmt }) {
    const list = await collectPages(
      mgmt.resourceServers.list({ per_page: 100, include_totals: true }),
    );
    return list
      .filter((api) => !api.is_system && api.identifier)
      .map((api): LiveItem => {
        const body = pick(api, fields);
        if (Array.isArray(body.scopes))
          body.scopes = (body.scopes as Body[]).map((scope) =>
            pick(scope, ['value', 'description']),
          );
        return { key: api.identifier as string, id: api.id as string, body, owned: false };
      });
  },

  async create(context, item) {
    const created = await withVerificationKeyFallback(context, item.key, item.body, (body) =>
      context.mgmt.resourceServers.create({ identifier: item.key, ...body } as Parameters<
        typeof context.mgmt.resourceServers.create
      >[0]),
    );
    return created.id as string;
  },

  async update(context, live, changed) {
    await withVerificationKeyFallback(context, live.key, changed, (body) =>
      Object.keys(body).length === 0
        ? Promise.resolve({})
        : context.mgmt.resourceServers.update(
            live.id,
            body as Parameters<typeof context.mgmt.resourceServers.update>[1],
          ),
    );
  },
};

/**
 * Auth0 never shipped `verificationKey` generally (it is not in the resource server schema of
 * https://auth0.com/docs/api/management/v2/resource-servers/post-resource-servers): a real tenant answers 400 "Additional properties not
 * allowed". Say so and continue without it, unless the env file marks it required.
 */
export async function withVerificationKeyFallback<T>(
  context: ResourceContext,
  key: string,
  body: Body,
  send: (body: Body) => Promise<T>,
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
    const rest = Object.fromEntries(
      Object.entries(body).filter(([field]) => !rejected.includes(field)),
    );
    return send(rest);
  }
}
