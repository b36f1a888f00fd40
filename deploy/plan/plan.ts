// The planner: reads the live tenant and produces the field-level plan that the applier executes as is.
import { resourceModules } from '../resources/index.js';
import {
  IdRegistry,
  isReference,
  type Body,
  type DesiredItem,
  type IdReference,
  type LiveItem,
  type ResourceContext,
  type ResourceModule,
  type ResourceType,
} from '../resources/types.js';
import { differences, isPlainObject } from './compare.js';

export type ChangeAction = 'create' | 'update' | 'delete';

export interface FieldChange {
  path: string;
  before: unknown;
  after: unknown;
  sensitive?: boolean;
}

export interface PlannedChange {
  type: ResourceType;
  key: string;
  action: ChangeAction;
  /** The tenant's ID of the resource (absent for creates). */
  id?: string;
  fields: FieldChange[];
}

export interface Operation {
  change: PlannedChange;
  module: ResourceModule;
  item?: DesiredItem;
  live?: LiveItem;
  /** Top-level fields to send on update. */
  changedFields: string[];
}

export interface Plan {
  target: { domain: string; env: string; source: string };
  changes: PlannedChange[];
  /** Resources this repository created that the config no longer has: deleted only with --allow-delete. */
  pendingDeletes: { type: ResourceType; key: string; id: string }[];
  warnings: string[];
  /** What the applier executes, one per change, in apply order. */
  operations: Operation[];
  /** Live state and IDs as read, handed to the applier so it does not read again. */
  live: Map<ResourceType, LiveItem[]>;
  registry: IdRegistry;
  /** Present when the plan rests on the checkpoint of a verified deploy and unchanged tenant logs, not on a read. */
  basis?: PlanBasis;
}

export interface PlanBasis {
  kind: 'checkpoint';
  verifiedAt: string;
  sinceLogId: string;
}

export interface PlanOptions {
  allowDelete?: boolean;
  /** Limit reading and planning to these types (verification re-reads only what changed). */
  types?: ResourceType[];
}

const sensitiveNames = new Set(['client_secret', 'password', 'signing_secret']);
export const masked = '(sensitive)';

export function createContext(base: Omit<ResourceContext, 'registry' | 'live'>): ResourceContext {
  return { ...base, registry: new IdRegistry(), live: new Map() };
}

/**
 * Reads live state: every type at once (the request budget spaces the requests), except that a type waits for the
 * types whose live items its read consults (`readsLiveOf`).
 */
export async function readLive(
  context: ResourceContext,
  modules: readonly ResourceModule[],
): Promise<void> {
  const pending = new Set(modules);
  while (pending.size > 0) {
    const waitingFor = new Set([...pending].map((module) => module.type));
    const ready = [...pending].filter(
      (module) => !(module.readsLiveOf ?? []).some((type) => waitingFor.has(type)),
    );
    // Cannot happen: readsLiveOf is a part of dependsOn, which inDependencyOrder proved acyclic.
    if (ready.length === 0) throw new Error('readsLiveOf forms a cycle');
    await Promise.all(
      ready.map(async (module) => {
        const items = await module.read(context);
        context.live.set(module.type, items);
        for (const item of items) context.registry.set(module.type, item.key, item.id);
        pending.delete(module);
      }),
    );
  }
}

export async function createPlan(
  context: ResourceContext,
  target: Plan['target'],
  options: PlanOptions = {},
): Promise<Plan> {
  const modules = resourceModules.filter(
    (module) => !options.types || options.types.includes(module.type),
  );
  await readLive(
    context,
    withLiveDependencies(modules).filter((module) => module.isManaged(context.desired)),
  );
  return planFromLive(context, target, modules, options);
}

/** The modules plus every type their reads consult (grants are keyed by client name: clients are read with them). */
function withLiveDependencies(modules: readonly ResourceModule[]): ResourceModule[] {
  const needed = new Set(modules.map((module) => module.type));
  for (let grew = true; grew;) {
    grew = false;
    for (const module of resourceModules)
      if (needed.has(module.type))
        for (const type of module.readsLiveOf ?? [])
          if (!needed.has(type)) grew = Boolean(needed.add(type));
  }
  return resourceModules.filter((module) => needed.has(module.type));
}

export function planFromLive(
  context: ResourceContext,
  target: Plan['target'],
  modules: readonly ResourceModule[],
  options: PlanOptions,
): Plan {
  const warnings: string[] = [];
  const operations: Operation[] = [];
  const deletes: Operation[] = [];
  const pendingDeletes: Plan['pendingDeletes'] = [];
  const resolveForPlan = (reference: IdReference): string | undefined =>
    context.registry.get(reference.$ref, reference.key);

  for (const module of modules) {
    if (!module.isManaged(context.desired)) continue;
    const liveItems = context.live.get(module.type) ?? [];
    const liveByKey = new Map(liveItems.map((item) => [item.key, item]));
    const desiredItems = [...module.desired(context.desired, resolveForPlan)].sort((a, b) =>
      a.key.localeCompare(b.key),
    );
    const desiredKeys = new Set(desiredItems.map((item) => item.key));
    const sensitive = new Set([...(module.sensitiveFields ?? []), ...sensitiveNames]);
    const setFields = new Set(module.setFields ?? []);

    for (const item of desiredItems) {
      const live = liveByKey.get(item.key);
      const body = resolveReferences(item.body, resolveForPlan, 'plan') as Body;
      if (!live) {
        if (!module.create) {
          warnings.push(
            `${module.type} "${item.key}" does not exist on the tenant and cannot be created by the deploy`,
          );
          continue;
        }
        const fields: FieldChange[] = Object.entries(body).map(([path, after]) =>
          field(path, undefined, after, sensitive.has(path)),
        );
        for (const path of Object.keys(item.createOnly ?? {}))
          fields.push(field(path, undefined, masked, true));
        operations.push({
          change: { type: module.type, key: item.key, action: 'create', fields },
          module,
          item,
          changedFields: Object.keys(body),
        });
        continue;
      }
      if (live.protected) {
        warnings.push(
          `${module.type} "${item.key}" belongs to the deploy client and is never changed by the deploy`,
        );
        continue;
      }
      const fields: FieldChange[] = [];
      const changedFields: string[] = [];
      for (const [path, desiredValue] of Object.entries(body)) {
        const found = differences(path, desiredValue, live.body[path], setFields.has(path));
        if (found.length === 0) continue;
        changedFields.push(path);
        fields.push(
          ...found.map((difference) =>
            field(difference.path, difference.before, difference.after, sensitive.has(path)),
          ),
        );
      }
      if (fields.length > 0)
        operations.push({
          change: { type: module.type, key: item.key, action: 'update', id: live.id, fields },
          module,
          item,
          live,
          changedFields,
        });
    }

    for (const live of [...liveItems].sort((a, b) => a.key.localeCompare(b.key))) {
      if (desiredKeys.has(live.key) || !live.owned || live.protected || !module.delete) continue;
      if (!options.allowDelete) {
        pendingDeletes.push({ type: module.type, key: live.key, id: live.id });
        continue;
      }
      const fields = Object.entries(live.body).map(([path, before]) =>
        field(path, before, undefined, sensitive.has(path)),
      );
      deletes.push({
        change: { type: module.type, key: live.key, action: 'delete', id: live.id, fields },
        module,
        live,
        changedFields: [],
      });
    }
  }
  // Deletes after everything else, dependants first: grants before clients, bindings were already rewritten.
  const order = (type: ResourceType): number =>
    resourceModules.findIndex((module) => module.type === type);
  deletes.sort((a, b) => order(b.change.type) - order(a.change.type));
  const all = [...operations, ...deletes];
  return {
    target,
    changes: all.map((operation) => operation.change),
    pendingDeletes,
    warnings,
    operations: all,
    live: context.live,
    registry: context.registry,
  };
}

function field(path: string, before: unknown, after: unknown, sensitive: boolean): FieldChange {
  if (!sensitive) return { path, before, after };
  return {
    path,
    before: before === undefined ? undefined : masked,
    after: after === undefined ? undefined : masked,
    sensitive: true,
  };
}

/** Replaces IdReferences by IDs; in a plan, a not-yet-created target reads as a placeholder. */
export function resolveReferences(
  value: unknown,
  resolve: (reference: IdReference) => string | undefined,
  mode: 'plan' | 'apply',
): unknown {
  if (isReference(value)) {
    const id = resolve(value);
    if (id !== undefined) return id;
    if (mode === 'apply') throw new Error(`${value.$ref} "${value.key}" has no ID on the tenant`);
    return `(id of ${value.$ref} "${value.key}", known after apply)`;
  }
  if (Array.isArray(value)) return value.map((entry) => resolveReferences(entry, resolve, mode));
  if (isPlainObject(value))
    return Object.fromEntries(
      Object.entries(value).map(([key, entry]) => [key, resolveReferences(entry, resolve, mode)]),
    );
  return value;
}

export function summarize(plan: Pick<Plan, 'changes' | 'pendingDeletes'>): {
  create: number;
  update: number;
  delete: number;
  pendingDeletes: number;
} {
  const count = (action: ChangeAction): number =>
    plan.changes.filter((change) => change.action === action).length;
  return {
    create: count('create'),
    update: count('update'),
    delete: count('delete'),
    pendingDeletes: plan.pendingDeletes.length,
  };
}

export function hasChanges(plan: Pick<Plan, 'changes' | 'pendingDeletes'>): boolean {
  return plan.changes.length > 0 || plan.pendingDeletes.length > 0;
}
