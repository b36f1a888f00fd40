// The module contract: the one shape every managed resource type has. The planner and applier only ever talk to
// this interface; everything particular to a type is a field or hook here. deploy/README.md explains how to add one.
import type { ManagementClient } from 'auth0';
import type { DesiredState } from '../config/load.js';

export type ResourceType =
  | 'resourceServers'
  | 'clients'
  | 'clientGrants'
  | 'databases'
  | 'users'
  | 'actions'
  | 'triggers'
  | 'guardianFactors'
  | 'guardianPolicies'
  | 'tenant';

/** The compared shape of a resource: top-level fields the planner diffs one by one. */
export type Body = Record<string, unknown>;

/**
 * IDs the tenant gave other resources, for fields that refer to them by ID (a grant's client_id). While planning, a
 * resource not created yet reads as a placeholder; while applying, its creation has already run.
 */
export interface Ids {
  of(type: ResourceType, key: string): string;
  has(type: ResourceType, key: string): boolean;
}

/** IDs by type and key: from the read, then from creates as the apply goes. */
export class IdRegistry {
  private readonly ids = new Map<ResourceType, Map<string, string>>();
  set(type: ResourceType, key: string, id: string): void {
    let byKey = this.ids.get(type);
    if (!byKey) this.ids.set(type, (byKey = new Map()));
    byKey.set(key, id);
  }
  get(type: ResourceType, key: string): string | undefined {
    return this.ids.get(type)?.get(key);
  }
  keyOf(type: ResourceType, id: string): string | undefined {
    for (const [key, value] of this.ids.get(type) ?? []) if (value === id) return key;
    return undefined;
  }
  /** For planning: a resource not created yet shows as a placeholder the plan output can print. */
  idsForPlan(): Ids {
    return {
      of: (type, key) => this.get(type, key) ?? `(id of ${type} "${key}", known after apply)`,
      has: (type, key) => this.get(type, key) !== undefined,
    };
  }
  /** For applying: dependencies were applied first, so a missing ID is a failed create. */
  idsForApply(): Ids {
    return {
      of: (type, key) => {
        const id = this.get(type, key);
        if (id === undefined) throw new Error(`${type} "${key}" has no ID on the tenant`);
        return id;
      },
      has: (type, key) => this.get(type, key) !== undefined,
    };
  }
}

export interface DesiredItem<Desired extends Body = Body> {
  key: string;
  /** The desired fields in the API's shape. Only these fields are compared, and only changed ones are sent. */
  body: Desired;
  /** Fields sent on create only (passwords): never compared, never shown. */
  createOnly?: Body;
}

export interface LiveItem<Live extends Body = Body, Raw = unknown> {
  key: string;
  id: string;
  /** The live resource normalised into the shape of DesiredItem.body. */
  body: Live;
  /** Carries this repository's ownership marker (deletes are only ever planned for owned resources). */
  owned: boolean;
  /**
   * Never touched, whatever the config says: why, as a phrase the plan prints after the resource ("belongs to the
   * deploy client", "is a partner client …"). The deploy client and its grants, partners and their grants.
   */
  protected?: string;
  /** The API object as read, for updates and deletes that need more than the compared fields. */
  raw?: Raw;
}

/**
 * A field the tenant refused, which the deploy left out as configured (`verificationKey` on a tenant that does not
 * support it). Data, not a message: the run excludes it from verification and writes no checkpoint.
 */
export interface Refusal {
  type: ResourceType;
  key: string;
  /** Top-level fields the tenant refused. */
  fields: string[];
  /** Shown as a warning. */
  message: string;
}

export interface ResourceContext {
  mgmt: ManagementClient;
  /** The client the deploy authenticates as: never updated or deleted. */
  deployClientId: string;
  registry: IdRegistry;
  /** What has been read so far, by type (a type's `readsLiveOf` are read before it). */
  live: Map<ResourceType, LiveItem[]>;
  desired: DesiredState;
  warn(message: string): void;
  /** Records a refusal (and warns with its message). */
  refuse(refusal: Refusal): void;
  progress(message: string): void;
}

/**
 * One managed resource type, in the order of terraform-provider-auth0's resource/expand/flatten: which types it
 * needs, `desired` (config → compared shape, "expand"), `list` + `flatten` (API → the same shape), then the writes.
 *
 * `Desired` is the compared shape the config produces, `Live` the same fields as the API returns them (the SDK's
 * types), `Raw` the API object `list` returns. The planner holds modules of different types in one list: the methods
 * are declared as methods so that TypeScript checks their parameters bivariantly, which lets a module typed for
 * clients stand in an `AnyResourceModule[]`. That is sound here because the planner only ever hands a module back what
 * the same module produced (its own desired items, its own live items, fields of its own body).
 */
export interface ResourceModule<
  Desired extends Body = Body,
  Live extends Body = Body,
  Raw = unknown,
> {
  type: ResourceType;
  /** Types whose IDs this type refers to: applied before it, deleted after it (the apply order is derived from this). */
  dependsOn: ResourceType[];
  /** Types whose live items flatten() consults (not only their IDs): read before it, and read along when it is planned. */
  readsLiveOf?: ResourceType[];
  /** Arrays compared as sets (order carries no meaning for the API). */
  setFields?: readonly (keyof Desired & string)[];
  /** Fields shown masked in every plan output. */
  sensitiveFields?: readonly (keyof Desired & string)[];
  /** True when the desired state has this type's section at all; an unmanaged type is neither read nor planned. */
  isManaged(state: DesiredState): boolean;
  /** Config → the compared shape, one item per resource (expand). */
  desired(state: DesiredState, ids: Ids): DesiredItem<Desired>[];
  /** The read requests: every API object of this type that might be managed. */
  list(context: ResourceContext): Promise<Raw[]>;
  /** API object → the compared shape (flatten); undefined for objects this type never manages (system, global). */
  flatten(raw: Raw, context: ResourceContext): LiveItem<Live, Raw> | undefined;
  /** Returns the ID the tenant gave the new resource. Types that always exist (factors, settings) have none. */
  create?(context: ResourceContext, item: DesiredItem<Desired>): Promise<string>;
  /** `changed` holds only the changed top-level fields, IDs filled in. */
  update(
    context: ResourceContext,
    live: LiveItem<Live, Raw>,
    changed: Partial<Desired>,
    item: DesiredItem<Desired>,
  ): Promise<void>;
  /** Types that are never deleted (APIs have no ownership marker) have none. */
  delete?(context: ResourceContext, live: LiveItem<Live, Raw>): Promise<void>;
}

/**
 * A module of any type, as the planner holds them. Spelled as a Pick so that TypeScript compares a typed module with
 * it member by member; compared as `ResourceModule<Body>` it would judge by the measured variance of `Desired`,
 * which `keyof Desired` (setFields) makes invariant.
 */
export type AnyResourceModule = Pick<ResourceModule, keyof ResourceModule>;

/** The ownership marker this repository writes on what it creates (client_metadata, connection metadata, app_metadata, action code). */
export const managedByKey = 'managed_by';
export const managedByValue = 'tenant-as-code';
