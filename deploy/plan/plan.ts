// The planner: reads the live tenant and produces the field-level plan that the applier executes as is.
import { resourceModules } from '../resources/index.js';
import type {
  DesiredItem,
  IdRegistry,
  LiveItem,
  ResourceContext,
  AnyResourceModule,
  ResourceType,
} from '../resources/types.js';
import { differences } from './compare.js';
import { readLive, withLiveDependencies } from './read.js';

export { createContext } from './read.js';

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

/** What the applier does for one change: the module, and what the planner compared. */
export type Operation =
  | { change: PlannedChange; module: AnyResourceModule; kind: 'create'; item: DesiredItem }
  | {
      change: PlannedChange;
      module: AnyResourceModule;
      kind: 'update';
      item: DesiredItem;
      live: LiveItem;
      /** Top-level fields to send. */
      changedFields: string[];
    }
  | { change: PlannedChange; module: AnyResourceModule; kind: 'delete'; live: LiveItem };

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

export function planFromLive(
  context: ResourceContext,
  target: Plan['target'],
  modules: readonly AnyResourceModule[],
  options: PlanOptions,
): Plan {
  const warnings: string[] = [];
  const operations: Operation[] = [];
  const deletes: Operation[] = [];
  const pendingDeletes: Plan['pendingDeletes'] = [];
  const ids = context.registry.idsForPlan();

  for (const module of modules) {
    if (!module.isManaged(context.desired)) continue;
    const liveItems = context.live.get(module.type) ?? [];
    const liveByKey = new Map(liveItems.map((item) => [item.key, item]));
    const desiredItems = [...module.desired(context.desired, ids)].sort((a, b) =>
      a.key.localeCompare(b.key),
    );
    const desiredKeys = new Set(desiredItems.map((item) => item.key));
    const sensitive = new Set([...(module.sensitiveFields ?? []), ...sensitiveNames]);
    const setFields = new Set(module.setFields ?? []);

    for (const item of desiredItems) {
      const live = liveByKey.get(item.key);
      const { body } = item;
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
          kind: 'create',
          item,
        });
        continue;
      }
      if (live.protected) {
        warnings.push(
          `${module.type} "${item.key}" ${live.protected} and is never changed by the deploy`,
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
          kind: 'update',
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
        kind: 'delete',
        live,
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
