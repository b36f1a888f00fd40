// /api/v2/actions/actions (docs/auth0-facts.md §2): CRUD with asynchronous builds, deploy →
// numbered versions, version list/get/rollback, and deletion refused while bound (unless
// force=true).
import { z } from 'zod';
import { ManagementApiError, badRequest, conflict, notFound } from '../errors.js';
import { newIds } from '../ids.js';
import type { TenantContext } from '../context.js';
import type { ActionRecord, ActionSecretRecord } from '../state/types.js';
import { paginateActionsStyle, queryBoolean, queryString } from './pagination.js';
import { parseBody } from './validation.js';
import type { ManagementRoute } from './routes.js';
import {
  actionResponse,
  deployActionDraft,
  redeployActionVersion,
  versionResponse,
} from './action-versions.js';
import { triggerIds } from './triggers.js';

const maxCodeBytes = 100 * 1024;
const triggerRef = z.strictObject({ id: z.enum(triggerIds), version: z.string().optional() });
const dependency = z.strictObject({
  name: z.string().min(1),
  version: z.string().min(1),
  registry_url: z.string().optional(),
});
// `updated_at` is what a read returns; tools send secrets back as read (recorded TestActionManager_Update).
const secret = z.strictObject({
  name: z.string().min(1).max(128),
  value: z.string().max(4096).optional(),
  updated_at: z.string().optional(),
});

const draftFields = {
  name: z.string().min(1),
  // Auth0 allows exactly one trigger per action.
  supported_triggers: z.array(triggerRef).length(1),
  code: z.string().max(maxCodeBytes).optional(),
  runtime: z
    .string()
    .regex(/^node\d+$/)
    .optional(),
  dependencies: z.array(dependency).max(10).optional(),
  secrets: z.array(secret).max(30).optional(),
  modules: z.array(z.record(z.string(), z.json())).max(3).optional(),
};
const createSchema = z.strictObject({ ...draftFields, deploy: z.boolean().optional() });
const updateSchema = z.strictObject({
  name: draftFields.name.optional(),
  supported_triggers: draftFields.supported_triggers.optional(),
  code: draftFields.code,
  runtime: draftFields.runtime,
  dependencies: draftFields.dependencies,
  secrets: draftFields.secrets,
  modules: draftFields.modules,
});

const defaultCode = 'module.exports = () => {}';
const missing = () => notFound('That action does not exist.');
const maxActionsPerTenant = 100;

function mergeSecrets(
  previous: ActionSecretRecord[],
  given: z.infer<typeof secret>[],
  now: string,
): ActionSecretRecord[] {
  // A secret sent without value keeps its stored value (values are write-only, so clients cannot echo them).
  return given.map(({ name, value }) => {
    const existing = previous.find((candidate) => candidate.name === name);
    if (value === undefined) {
      if (!existing)
        throw badRequest(
          `Payload validation error: 'Missing required property: value' on property secrets (${name}).`,
        );
      return existing;
    }
    return existing?.value === value ? existing : { name, value, updated_at: now };
  });
}

export function registerActionRoutes(route: ManagementRoute, tenant: TenantContext): void {
  const { store, actionBuilds } = tenant;

  route('GET', '/actions/actions', 'read:actions', ({ query }) => {
    const triggerId = queryString(query, 'triggerId');
    const actionName = queryString(query, 'actionName');
    const deployed = queryBoolean(query, 'deployed');
    const state = store.snapshot;
    const actions = state.actions
      .filter(
        (action) =>
          !triggerId || action.supported_triggers.some((trigger) => trigger.id === triggerId),
      )
      .filter((action) => !actionName || action.name === actionName)
      .filter(
        (action) => deployed === undefined || Boolean(action.deployed_version_id) === deployed,
      )
      .map((action) => actionResponse(action, state));
    return paginateActionsStyle(actions, query, 'actions');
  });

  route('GET', '/actions/actions/:id', 'read:actions', ({ params }) => {
    const action = store.snapshot.actions.find((candidate) => candidate.id === params.id);
    if (!action) throw missing();
    return actionResponse(action, store.snapshot);
  });

  route('POST', '/actions/actions', 'create:actions', ({ body, reply }) => {
    const input = parseBody(createSchema, body);
    const now = new Date().toISOString();
    const action = store.mutate((state) => {
      if (state.actions.some((candidate) => candidate.name === input.name)) {
        // UNCONFIRMED text; Auth0 enforces unique action names.
        throw conflict(`An action with the name '${input.name}' already exists.`);
      }
      if (state.actions.length >= maxActionsPerTenant)
        throw badRequest('Entity limit reached: 100 actions per tenant.', 'too_many_entities');
      const record: ActionRecord = {
        id: newIds.uuid(),
        name: input.name,
        supported_triggers: input.supported_triggers,
        code: input.code ?? defaultCode,
        runtime: input.runtime ?? 'node22',
        dependencies: input.dependencies ?? [],
        secrets: mergeSecrets([], input.secrets ?? [], now),
        modules: input.modules ?? [],
        status: 'pending',
        created_at: now,
        updated_at: now,
        all_changes_deployed: false,
      };
      state.actions.push(record);
      // Create with deploy: true answers with the version already deployed (recorded CreateWithDeploy).
      if (input.deploy === true) deployActionDraft(state, record);
      return record;
    });
    actionBuilds.schedule(action.id);
    reply.code(201);
    return actionResponse(action, store.snapshot);
  });

  route('PATCH', '/actions/actions/:id', 'update:actions', ({ params, body }) => {
    const input = parseBody(updateSchema, body);
    const updated = store.mutate((state) => {
      const action = state.actions.find((candidate) => candidate.id === params.id);
      if (!action) throw missing();
      if (
        input.name &&
        input.name !== action.name &&
        state.actions.some((candidate) => candidate.name === input.name)
      ) {
        throw conflict(`An action with the name '${input.name}' already exists.`);
      }
      const now = new Date().toISOString();
      if (input.name !== undefined) action.name = input.name;
      if (input.supported_triggers !== undefined)
        action.supported_triggers = input.supported_triggers;
      if (input.code !== undefined) action.code = input.code;
      if (input.runtime !== undefined) action.runtime = input.runtime;
      if (input.dependencies !== undefined) action.dependencies = input.dependencies;
      if (input.secrets !== undefined)
        action.secrets = mergeSecrets(action.secrets, input.secrets, now);
      if (input.modules !== undefined) action.modules = input.modules;
      action.updated_at = now;
      action.status = 'pending';
      action.all_changes_deployed = false;
      return action;
    });
    actionBuilds.schedule(updated.id);
    return actionResponse(updated, store.snapshot);
  });

  route('DELETE', '/actions/actions/:id', 'delete:actions', ({ params, query, reply }) => {
    const force = queryBoolean(query, 'force') ?? false;
    store.mutate((state) => {
      const action = state.actions.find((candidate) => candidate.id === params.id);
      if (!action) throw missing();
      const bound = state.trigger_bindings.filter((binding) => binding.action_id === action.id);
      if (bound.length > 0 && !force) {
        // Status and text UNCONFIRMED: Auth0 documents `force` as "detach bindings"; without it a bound action is refused.
        const triggers = [...new Set(bound.map((binding) => binding.trigger_id))].join(', ');
        throw new ManagementApiError(
          409,
          `The action '${action.name}' is bound to the trigger(s) ${triggers} and cannot be deleted. Remove the bindings first or use force=true.`,
          'action_is_bound',
        );
      }
      state.trigger_bindings = state.trigger_bindings.filter(
        (binding) => binding.action_id !== action.id,
      );
      state.action_versions = state.action_versions.filter(
        (version) => version.action_id !== action.id,
      );
      state.actions = state.actions.filter((candidate) => candidate !== action);
    });
    actionBuilds.cancel(params.id ?? '');
    reply.code(204);
  });

  route('POST', '/actions/actions/:id/deploy', 'create:actions', ({ params }) =>
    store.mutate((state) => {
      const action = state.actions.find((candidate) => candidate.id === params.id);
      if (!action) throw missing();
      if (action.status !== 'built') {
        // deploy-cli retries on this substring ("must be in the 'built' state"); status code UNCONFIRMED.
        throw badRequest(
          `An action must be in the 'built' state before it can be deployed (current state: ${action.status}).`,
          'invalid_action_state',
        );
      }
      // Live Auth0 answers 200 with deployed:false in the body (GO-REC TestActionManager_Deploy).
      return { ...versionResponse(deployActionDraft(state, action), action), deployed: false };
    }),
  );

  route('GET', '/actions/actions/:id/versions', 'read:actions', ({ params, query }) => {
    const state = store.snapshot;
    const action = state.actions.find((candidate) => candidate.id === params.id);
    if (!action) throw missing();
    const versions = state.action_versions
      .filter((version) => version.action_id === action.id)
      .sort((a, b) => b.number - a.number)
      .map((version) => versionResponse(version, action));
    return paginateActionsStyle(versions, query, 'versions');
  });

  route('GET', '/actions/actions/:id/versions/:versionId', 'read:actions', ({ params }) => {
    const state = store.snapshot;
    const action = state.actions.find((candidate) => candidate.id === params.id);
    const version = state.action_versions.find(
      (candidate) => candidate.id === params.versionId && candidate.action_id === params.id,
    );
    if (!action || !version) throw notFound('That action version does not exist.');
    // A single version read carries built_at; deploy answers and lists do not (recorded).
    return { ...versionResponse(version, action), built_at: version.built_at };
  });

  // Roll back: a new deployed version identical to an earlier one (optionally copied into the draft too).
  route(
    'POST',
    '/actions/actions/:id/versions/:versionId/deploy',
    'create:actions',
    ({ params, body }) => {
      const input = parseBody(
        z.strictObject({ update_draft: z.boolean().optional() }).nullable(),
        body ?? null,
      );
      return store.mutate((state) => {
        const action = state.actions.find((candidate) => candidate.id === params.id);
        const earlier = state.action_versions.find(
          (candidate) => candidate.id === params.versionId && candidate.action_id === params.id,
        );
        if (!action || !earlier) throw notFound('That action version does not exist.');
        const version = redeployActionVersion(state, action, earlier);
        if (input?.update_draft) {
          action.code = version.code;
          action.runtime = version.runtime;
          action.dependencies = structuredClone(version.dependencies);
          action.secrets = structuredClone(version.secrets);
          action.status = 'built';
          action.all_changes_deployed = true;
        } else {
          // UNCONFIRMED: the draft counts as deployed when it holds what the new version holds.
          action.all_changes_deployed =
            action.code === version.code && action.runtime === version.runtime;
        }
        // Like POST …/deploy, the answer says deployed:false (recorded TestActionManager_DeployVersion).
        return { ...versionResponse(version, action), deployed: false };
      });
    },
  );

  route('GET', '/actions/modules', 'read:actions', ({ query }) =>
    paginateActionsStyle([], query, 'modules'),
  );

  // The local tenant keeps no execution records (its Actions run in-process during logins).
  route('GET', '/actions/executions/:id', 'read:actions', () => {
    throw notFound('That execution does not exist.');
  });
}
