// Actions: a new version is deployed only when the bundle, runtime, dependencies or secrets changed. Create/update →
// wait for "built" → deploy. An Action is unbound from its triggers before it is deleted (the 409 class of bugs).
import type { Management } from 'auth0';
import { parseClientIdsReference } from '../config/client-id-references.js';
import type { ActionConfig } from '../config/schema.js';
import { sleep } from '../http/budget.js';
import { secretsHash, sha256, splitMarker, withMarker } from './action-marker.js';
import { collectPages, createdId } from './pages.js';
import type { DesiredItem, Ids, ResourceContext, ResourceModule } from './types.js';

/** What is compared: the deployed code and secrets as hashes (secret values are write-only in Auth0). */
type ActionState = Pick<ActionConfig, 'runtime' | 'supported_triggers' | 'dependencies'> & {
  secret_names: string[];
  /** Hash of the secret names and values; live, the one the last deploy wrote in the marker line. */
  secret_values: string | undefined;
  code: string;
  /** Desired: present (true) when the config wants it deployed; live: whether every change is deployed. */
  deployed?: boolean;
};

export const actions: ResourceModule<ActionState, ActionState, Management.Action> = {
  type: 'actions',
  // A {{clientIds: …}} secret holds client IDs.
  dependsOn: ['clients'],
  setFields: ['secret_names'],
  sensitiveFields: ['secret_values'],
  isManaged: (state) => state.sections.actions !== undefined,

  desired(state, ids) {
    return (state.sections.actions ?? []).map((action) => {
      const secrets = resolveSecrets(action, ids);
      return {
        key: action.name,
        body: {
          runtime: action.runtime,
          supported_triggers: action.supported_triggers,
          dependencies: action.dependencies,
          secret_names: action.secrets.map((secret) => secret.name),
          // Unknown until the referenced clients exist: a value no live hash can equal.
          secret_values: secrets
            ? secretsHash(secrets)
            : 'known after the referenced clients are created',
          code: `sha256:${sha256(state.actionCode.get(action.name) ?? '')}`,
          ...(action.deployed ? { deployed: true } : {}),
        },
      };
    });
  },

  list({ mgmt }) {
    return collectPages(mgmt.actions.list({ per_page: 100 }));
  },

  flatten(action) {
    const { id, name } = action;
    if (!id || !name || action.installed_integration_id) return undefined;
    const { marker, code } = splitMarker(action.code ?? '');
    return {
      key: name,
      id,
      body: {
        runtime: action.runtime ?? '',
        supported_triggers: (action.supported_triggers ?? []).flatMap(({ id, version }) =>
          version ? [{ id, version }] : [],
        ),
        dependencies: (action.dependencies ?? []).flatMap(({ name, version, registry_url }) =>
          name && version ? [{ name, version, ...(registry_url ? { registry_url } : {}) }] : [],
        ),
        secret_names: (action.secrets ?? []).flatMap((secret) => secret.name ?? []),
        secret_values: marker?.secrets,
        code: `sha256:${sha256(code)}`,
        deployed: Boolean(action.all_changes_deployed && action.deployed_version),
      },
      owned: marker !== undefined,
      raw: action,
    };
  },

  async create(context, item) {
    const created = await context.mgmt.actions.create(draftBody(context, item));
    const id = createdId(created.id, `action ${item.key}`);
    if (item.body.deployed) await buildAndDeploy(context, id, item.key);
    return id;
  },

  async update(context, live, changed, item) {
    const draftChanged = Object.keys(changed).some((field) => field !== 'deployed');
    if (draftChanged) await context.mgmt.actions.update(live.id, draftBody(context, item));
    if (item.body.deployed) await buildAndDeploy(context, live.id, item.key);
  },

  async delete(context, live) {
    for (const trigger of live.raw?.supported_triggers ?? []) {
      const bindings = await collectPages(
        context.mgmt.actions.triggers.bindings.list(trigger.id, { per_page: 50 }),
      );
      const remaining = bindings.filter((binding) => binding.action?.id !== live.id);
      if (remaining.length === bindings.length) continue;
      context.progress(`unbinding ${live.key} from ${trigger.id} before deleting it`);
      await context.mgmt.actions.triggers.bindings.updateMany(trigger.id, {
        bindings: remaining.flatMap(({ action, display_name }) =>
          action?.id ? [{ ref: { type: 'action_id', value: action.id }, display_name }] : [],
        ),
      });
    }
    await context.mgmt.actions.delete(live.id, { force: true });
  },
};

/** The secrets with {{clientIds: …}} replaced by IDs; undefined while a named client has no ID yet. */
function resolveSecrets(
  action: ActionConfig,
  ids: Ids,
): { name: string; value: string }[] | undefined {
  const resolved: { name: string; value: string }[] = [];
  for (const secret of action.secrets) {
    const names = parseClientIdsReference(secret.value);
    if (!names) {
      resolved.push(secret);
      continue;
    }
    if (!names.every((name) => ids.has('clients', name))) return undefined;
    resolved.push({
      name: secret.name,
      value: names.map((name) => ids.of('clients', name)).join(','),
    });
  }
  return resolved;
}

/** The body of a create or update: the bundle behind our marker line, secrets with the IDs filled in. */
function draftBody(
  context: ResourceContext,
  item: DesiredItem<ActionState>,
): Management.CreateActionRequestContent {
  const action = context.desired.sections.actions?.find((a) => a.name === item.key);
  if (!action) throw new Error(`action ${item.key} is not in the desired state`);
  const secrets = resolveSecrets(action, context.registry.idsForApply());
  if (!secrets)
    throw new Error(
      `action ${item.key}: a {{clientIds}} secret names a client the tenant does not have`,
    );
  const code = context.desired.actionCode.get(action.name) ?? '';
  return {
    name: action.name,
    supported_triggers: action.supported_triggers,
    runtime: action.runtime,
    dependencies: action.dependencies,
    secrets,
    code: withMarker(code, { managedBy: 'tenant-as-code', secrets: secretsHash(secrets) }),
  };
}

const buildTimeoutMs = 120_000;

async function buildAndDeploy(context: ResourceContext, id: string, name: string): Promise<void> {
  const started = Date.now();
  for (let poll = 0; ; poll++) {
    const action = await context.mgmt.actions.get(id);
    if (action.status === 'built') break;
    if (action.status === 'failed') throw new Error(`action ${name}: build failed on the tenant`);
    if (Date.now() - started > buildTimeoutMs)
      throw new Error(`action ${name}: still "${action.status}" after ${buildTimeoutMs / 1000} s`);
    if (poll === 0) context.progress(`waiting for ${name} to be built`);
    await sleep(Math.min(2000, 200 * 2 ** poll));
  }
  await context.mgmt.actions.deploy(id);
}
