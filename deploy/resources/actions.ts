// Actions: a new version is deployed only when the bundle, runtime, dependencies or secrets changed. Create/update →
// wait for "built" → deploy. An Action is unbound from its triggers before it is deleted (the 409 class of bugs).
import { parseClientIdsReference } from '../config/client-id-references.js';
import { sleep } from '../http/budget.js';
import { secretsHash, sha256, splitMarker, withMarker } from './action-marker.js';
import { collectPages } from './pages.js';
import {
  ref,
  type Body,
  type DesiredItem,
  type IdReference,
  type LiveItem,
  type ResourceContext,
  type ResourceModule,
} from './types.js';

type Mgmt = ResourceContext['mgmt'];
type TriggerId = Parameters<Mgmt['actions']['triggers']['bindings']['list']>[0];

export const actions: ResourceModule = {
  type: 'actions',
  dependsOn: ['clients'],
  isManaged: (state) => state.sections.actions !== undefined,
  setFields: ['secret_names'],
  sensitiveFields: ['secret_values'],

  desired(state, resolve) {
    return (state.sections.actions ?? []).map((action): DesiredItem => {
      const code = state.actionCode.get(action.name) ?? '';
      const secrets = resolveSecrets(action.secrets, resolve);
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
          code: `sha256:${sha256(code)}`,
          ...(action.deployed ? { deployed: true } : {}),
        },
      };
    });
  },

  async read({ mgmt }) {
    const list = await collectPages(mgmt.actions.list({ per_page: 100 }));
    return list
      .filter((action) => action.id && action.name && !action.installed_integration_id)
      .map((action): LiveItem => {
        const { marker, code } = splitMarker(action.code ?? '');
        return {
          key: action.name as string,
          id: action.id as string,
          body: {
            runtime: action.runtime,
            supported_triggers: (action.supported_triggers ?? []).map((t) => ({
              id: t.id,
              version: t.version,
            })),
            dependencies: (action.dependencies ?? []).map((d) => ({
              name: d.name,
              version: d.version,
              ...(d.registry_url ? { registry_url: d.registry_url } : {}),
            })),
            secret_names: (action.secrets ?? []).map((secret) => secret.name),
            secret_values: marker?.secrets,
            code: `sha256:${sha256(code)}`,
            deployed: Boolean(action.all_changes_deployed && action.deployed_version),
          },
          owned: marker !== undefined,
          raw: action,
        };
      });
  },

  async create(context, item) {
    const { mgmt } = context;
    const created = await mgmt.actions.create(
      draftBody(context, item) as unknown as Parameters<Mgmt['actions']['create']>[0],
    );
    const id = created.id as string;
    if (item.body.deployed) await buildAndDeploy(context, id, item.key);
    return id;
  },

  async update(context, live, changed, item) {
    const draftChanged = Object.keys(changed).some((field) => field !== 'deployed');
    if (draftChanged)
      await context.mgmt.actions.update(
        live.id,
        draftBody(context, item) as Parameters<Mgmt['actions']['update']>[1],
      );
    if (item.body.deployed) await buildAndDeploy(context, live.id, item.key);
  },

  async delete(context, live) {
    const raw = live.raw as { supported_triggers?: { id: string }[] };
    for (const trigger of raw.supported_triggers ?? []) {
      const bindings = await collectPages(
        context.mgmt.actions.triggers.bindings.list(trigger.id as TriggerId, { per_page: 50 }),
      );
      const remaining = bindings.filter((binding) => binding.action?.id !== live.id);
      if (remaining.length === bindings.length) continue;
      context.progress(`unbinding ${live.key} from ${trigger.id} before deleting it`);
      await context.mgmt.actions.triggers.bindings.updateMany(trigger.id as TriggerId, {
        bindings: remaining.map((binding) => ({
          ref: { type: 'action_id', value: binding.action?.id as string },
          display_name: binding.display_name,
        })),
      });
    }
    await context.mgmt.actions.delete(live.id, { force: true });
  },
};

function resolveSecrets(
  secrets: { name: string; value: string }[],
  resolve: (reference: IdReference) => string | undefined,
) {
  const resolved: { name: string; value: string }[] = [];
  for (const secret of secrets) {
    const names = parseClientIdsReference(secret.value);
    if (!names) {
      resolved.push(secret);
      continue;
    }
    const ids = names.map((name) => resolve(ref('clients', name)));
    if (ids.some((id) => id === undefined)) return undefined;
    resolved.push({ name: secret.name, value: ids.join(',') });
  }
  return resolved;
}

function draftBody(context: ResourceContext, item: DesiredItem): Body {
  const action = context.desired.sections.actions?.find((a) => a.name === item.key);
  if (!action) throw new Error(`action ${item.key} is not in the desired state`);
  const secrets = resolveSecrets(action.secrets, (reference) =>
    context.registry.get(reference.$ref, reference.key),
  );
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
